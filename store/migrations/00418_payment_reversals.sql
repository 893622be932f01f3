-- +goose Up
-- Issue 18, the policy money path. A wrong payment is never edited or deleted: a reversing
-- entry (红字冲销) of the opposite amount, with its own voucher, reason, person and day,
-- cancels it; the entitlement's paid figure is the sum of its entries. A payment is
-- reversed at most once (the unique index on reverses_id; NULL for a payment).
ALTER TABLE payments ADD COLUMN kind TEXT NOT NULL DEFAULT 'payment';
ALTER TABLE payments ADD COLUMN reverses_id BIGINT;
ALTER TABLE payments ADD COLUMN reason TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX payments_reverses ON payments (reverses_id);

-- The issuing department's corrections of what an enterprise declared when it applied,
-- after a dispute: before and after, the amounts they give, why, who and when. Kept as
-- the entitlement's history; never updated.
CREATE TABLE declared_corrections (
    id             {{.ID}},
    region_code    TEXT NOT NULL,
    entitlement_id BIGINT NOT NULL REFERENCES entitlements (id),
    before_json    TEXT NOT NULL,
    after_json     TEXT NOT NULL,
    amount_before  BIGINT NOT NULL,
    amount_after   BIGINT NOT NULL,
    reason         TEXT NOT NULL,
    corrected_by   TEXT NOT NULL,
    at             BIGINT NOT NULL
);
CREATE INDEX declared_corrections_entitlement ON declared_corrections (entitlement_id, id);

-- +goose Down
SELECT 1;
