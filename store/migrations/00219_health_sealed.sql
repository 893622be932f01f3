-- +goose Up
-- Health records sealed at rest (DESIGN.md: personal data, health records included, is
-- encrypted): a checkpoint registration's origin and temperature, a village screening's
-- origin, isolation, needs and temperature are one sealed value per row. The fever flag
-- stays in clear for the figures. Rows written before this keep their clear columns.
ALTER TABLE checkpoint_entries ADD COLUMN health_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE screenings ADD COLUMN health_sealed TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 1;
