-- +goose Up
-- A staged upload (a ledger between its preview and its commit) is found by a random
-- token bound to its user, and its body is sealed with the data key: the ledgers hold
-- phones and ID numbers. The uploads kept until now are in clear; they are dropped
-- (an upload waits an hour at most for its confirmation).
DELETE FROM ledger_uploads;
ALTER TABLE ledger_uploads ADD COLUMN token TEXT NOT NULL DEFAULT '';
CREATE INDEX ledger_uploads_token ON ledger_uploads (token);
CREATE INDEX ledger_uploads_created ON ledger_uploads (created_at);

-- +goose Down
SELECT 1;
