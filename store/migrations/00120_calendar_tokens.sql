-- +goose Up
-- A private address per user for the flood-season duty roster as an iCalendar feed that
-- a phone's calendar subscribes to; only the token's hash is kept, and a new one ends the
-- old.
CREATE TABLE calendar_tokens (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id),
    region_code TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX calendar_tokens_hash ON calendar_tokens (token_hash);

-- +goose Down
DROP TABLE calendar_tokens;
