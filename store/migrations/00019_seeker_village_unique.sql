-- +goose Up
-- A job seeker's phone is unique within their village, no longer within the county: a
-- village cadre registering a phone or an ID number learnt from the refusal whether it
-- was registered anywhere in the county. Registrations of one person in two villages
-- are seen by the township and the county, who see both.
DROP INDEX job_seekers_phone;
CREATE UNIQUE INDEX job_seekers_phone ON job_seekers (region_code, village, phone_hash);

-- +goose Down
SELECT 1;
