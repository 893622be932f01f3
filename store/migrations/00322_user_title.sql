-- +goose Up
-- 职务 (the post a person holds, e.g. 副局长) in its own column: the staff sheet's 职务 was
-- kept in rank, the 职级 (副科级) that 选派 checks liaisons against.
ALTER TABLE users ADD COLUMN title TEXT NOT NULL DEFAULT '';
