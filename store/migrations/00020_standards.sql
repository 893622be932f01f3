-- +goose Up
-- Open311 keeps what a client posts about where and what (lat, long, address_string,
-- media_url); a job posting says its employment type (schema.org's JobPosting); the
-- metrics count failed notifications by channel from a small index of them.
ALTER TABLE demands ADD COLUMN lat DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN lng DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE demands ADD COLUMN media_url TEXT NOT NULL DEFAULT '';
ALTER TABLE job_postings ADD COLUMN employment_type TEXT NOT NULL DEFAULT 'FULL_TIME';
CREATE INDEX notifications_failed ON notifications (channel) WHERE state = 'failed';

-- +goose Down
DROP INDEX notifications_failed;
ALTER TABLE job_postings DROP COLUMN employment_type;
ALTER TABLE demands DROP COLUMN media_url;
ALTER TABLE demands DROP COLUMN address;
ALTER TABLE demands DROP COLUMN lng;
ALTER TABLE demands DROP COLUMN lat;
