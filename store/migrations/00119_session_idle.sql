-- +goose Up
-- 等保 2.0 level 3: a session left idle ends (last_seen_at, touched at most once a
-- minute); a login of admin or command waits for its second factor (pending) before the
-- session is of any use; an account's TOTP secret is sealed like personal data.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 1;
