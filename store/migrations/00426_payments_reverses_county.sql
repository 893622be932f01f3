-- +goose Up
-- 00418 (issue 18's payment reversals) made a payment reversible at most once with a unique
-- index on reverses_id alone; a reversal is in its payment's county, so the index is per
-- county like every other (00421, SCALING.md). On PostgreSQL 00421 already made it so when
-- it ran after 00418; remade here on both databases whatever the order.
DROP INDEX payments_reverses;
CREATE UNIQUE INDEX payments_reverses ON payments (reverses_id, region_code);

-- +goose Down
DROP INDEX payments_reverses;
CREATE UNIQUE INDEX payments_reverses ON payments (reverses_id);
