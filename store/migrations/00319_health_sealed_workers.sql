-- +goose Up
-- Health records sealed at rest, the rest of them (00219 did checkpoints and screenings):
-- a worker's check (temperature, symptoms), a step through the gates (origin, route,
-- temperature, symptoms, contact, isolation), an alert (the reading) and a worker's
-- isolation (kind, start, end) are one sealed value per row. What the figures count stays
-- in clear: a worker's status, the per-enterprise counts of each day (check_days, with
-- the alarming checks) and the alerts themselves (day, source). Rows written before this
-- keep their clear columns and are read as they are.
ALTER TABLE worker_checks ADD COLUMN health_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE worker_gates ADD COLUMN health_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE health_alerts ADD COLUMN health_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE workers ADD COLUMN health_sealed TEXT NOT NULL DEFAULT '';

-- The second factor: the last time step whose code was accepted (RFC 6238 §5.2: a code
-- is accepted once), and single-use recovery codes, kept as argon2id hashes.
ALTER TABLE users ADD COLUMN totp_step BIGINT NOT NULL DEFAULT 0;
CREATE TABLE recovery_codes (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    code_hash   TEXT NOT NULL,
    used_at     BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- +goose Down
SELECT 1;
