-- +goose Up
-- One row per write transaction on PostgreSQL, inserted first in it: when a failover or a
-- lost connection leaves a COMMIT without an answer, the transaction's retry finds its
-- token here if the commit happened and does not write twice (store/retry.go). Rows older
-- than an hour are dropped as transactions go.
CREATE TABLE commit_tokens (
    token      TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE commit_tokens;
