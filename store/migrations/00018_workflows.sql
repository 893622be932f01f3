-- +goose Up
-- A reopened demand keeps its first solution clock and never counts as solved on time:
-- reopens counts the times the enterprise said it was not solved after all.
ALTER TABLE demands ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0;

-- An Idempotency-Key answers only a retry of the same request: request_hash is the
-- SHA-256 of the body the key was first used with, and another body is refused.
ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 1;
