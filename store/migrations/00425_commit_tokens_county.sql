-- +goose Up
-- A commit token (00321, store/retry.go) is kept with the county of the caller whose
-- transaction it marks, and keyed by it: on Citus the token then sits on the shard the
-- transaction writes (commit_tokens distributed by region_code, co-located), so a write
-- stays a one-shard commit instead of a two-phase one (SCALING.md). Work with no caller's
-- county (the demand group committer's batches, jobs) keeps ''. SQLite never retries a
-- commit (store/retry.go) and keeps its key.
ALTER TABLE commit_tokens ADD COLUMN region_code TEXT NOT NULL DEFAULT '';
{{if ne .Name "sqlite"}}
ALTER TABLE commit_tokens DROP CONSTRAINT commit_tokens_pkey, ADD CONSTRAINT commit_tokens_pkey PRIMARY KEY (token, region_code);
{{end}}

-- +goose Down
{{if ne .Name "sqlite"}}
ALTER TABLE commit_tokens DROP CONSTRAINT commit_tokens_pkey, ADD CONSTRAINT commit_tokens_pkey PRIMARY KEY (token);
{{end}}
ALTER TABLE commit_tokens DROP COLUMN region_code;
