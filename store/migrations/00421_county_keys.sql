-- +goose Up
-- Shard-ready by county (SCALING.md, "What changes in keys"). Citus enforces a primary key,
-- a unique index or a foreign key of a table distributed by region_code only when it
-- includes region_code. So every key gains region_code, and the data already obeys it
-- (TestForeignKeysStayInOneCounty: no row references a row of another county):
--   * primary keys (id) become (id, region_code): id first, so that the many lookups by id
--     alone still use the key's index (a key led by region_code would not serve them);
--   * foreign keys (x_id) REFERENCES x (id) become (x_id, region_code) REFERENCES
--     x (id, region_code), which also holds what the scope check assumes: a demand's
--     enterprise is in the demand's county;
--   * unique indexes gain region_code last (same reason as the keys): a worker is one
--     record per enterprise, a report one per enterprise and day, … within the county.
-- What the law makes unique in the whole country is held by a lookup table keyed by the
-- value: credit codes (00331, so enterprises_uscc goes here) and login names (00422).
-- Tables that are not by county keep their keys: regions (the code tree, a reference
-- table on Citus), goose's version table, the lookups credit_codes and usernames, and
-- commit_tokens (store/retry.go; SCALING.md says why).
--
-- SQLite is one county's database and is never distributed, so it keeps its primary and
-- foreign keys: there a primary key `id INTEGER PRIMARY KEY` is the rowid itself, and a
-- composite one would add a second b-tree to every table and need every table rebuilt
-- (SQLite cannot alter a key). It takes the unique indexes' change alone, so that the
-- store's ON CONFLICT targets read the same on both databases.
DROP INDEX enterprises_uscc;
{{if eq .Name "sqlite"}}
DROP INDEX api_tokens_hash;
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash, region_code);
DROP INDEX calendar_tokens_hash;
CREATE UNIQUE INDEX calendar_tokens_hash ON calendar_tokens (token_hash, region_code);
DROP INDEX daily_reports_day;
CREATE UNIQUE INDEX daily_reports_day ON daily_reports (enterprise_id, day, region_code);
DROP INDEX demand_assignments_pair;
CREATE UNIQUE INDEX demand_assignments_pair ON demand_assignments (demand_id, org_unit_id, region_code);
DROP INDEX entitlements_policy_enterprise;
CREATE UNIQUE INDEX entitlements_policy_enterprise ON entitlements (policy_id, enterprise_id, region_code);
DROP INDEX power_uses_day;
CREATE UNIQUE INDEX power_uses_day ON power_uses (enterprise_id, day, region_code);
DROP INDEX project_reports_week;
CREATE UNIQUE INDEX project_reports_week ON project_reports (project_id, week, region_code);
DROP INDEX rectifications_inspection;
CREATE UNIQUE INDEX rectifications_inspection ON rectifications (inspection_id, region_code);
DROP INDEX referrals_pair;
CREATE UNIQUE INDEX referrals_pair ON referrals (seeker_id, posting_id, region_code);
DROP INDEX responsibility_overrides_kind;
CREATE UNIQUE INDEX responsibility_overrides_kind ON responsibility_overrides (enterprise_id, kind, region_code);
DROP INDEX screening_checks_day;
CREATE UNIQUE INDEX screening_checks_day ON screening_checks (screening_id, day, region_code);
DROP INDEX supply_requests_open;
CREATE UNIQUE INDEX supply_requests_open ON supply_requests (enterprise_id, item, region_code) WHERE state = 'open';
DROP INDEX target_reports_week;
CREATE UNIQUE INDEX target_reports_week ON target_reports (target_id, week, region_code);
DROP INDEX users_username;
CREATE UNIQUE INDEX users_username ON users (username, region_code);
DROP INDEX visit_demands_visit;
CREATE UNIQUE INDEX visit_demands_visit ON visit_demands (visit_id, region_code);
DROP INDEX visits_client_uuid;
CREATE UNIQUE INDEX visits_client_uuid ON visits (client_uuid, region_code);
DROP INDEX worker_checks_slot;
CREATE UNIQUE INDEX worker_checks_slot ON worker_checks (worker_id, day, slot, region_code);
DROP INDEX workers_person;
CREATE UNIQUE INDEX workers_person ON workers (enterprise_id, id_hash, region_code);
DROP INDEX workshop_days_day;
CREATE UNIQUE INDEX workshop_days_day ON workshop_days (enterprise_id, day, region_code);
{{else}}
-- PostgreSQL: every key found in the catalog that lacks region_code, so that tables added
-- by migrations numbered before this one are included whatever order they landed in.
-- Foreign keys are dropped first (they depend on the parents' keys), the keys remade,
-- then the foreign keys added back: adding one checks every row, so the migration fails
-- rather than keep a row whose parent is in another county.
-- +goose StatementBegin
DO $$
DECLARE
    global CONSTANT text[] := ARRAY['regions', 'goose_db_version', 'credit_codes', 'usernames', 'commit_tokens'];
    fks text[];
    r record;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contype IN ('u', 'x') AND c.connamespace = current_schema()::regnamespace
            AND NOT c.conrelid::regclass::text = ANY (global)) THEN
        RAISE EXCEPTION 'a UNIQUE or EXCLUDE constraint: this migration handles unique indexes only';
    END IF;
    SELECT array_agg(format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.conrelid::regclass::text, c.conname,
            regexp_replace(pg_get_constraintdef(c.oid), '^FOREIGN KEY \(([^)]*)\) REFERENCES ([^(]+)\(([^)]*)\)',
                'FOREIGN KEY (\1, region_code) REFERENCES \2(\3, region_code)')) ORDER BY c.conname)
        INTO fks
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
            AND NOT c.conrelid::regclass::text = ANY (global) AND NOT c.confrelid::regclass::text = ANY (global)
            AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) AND a.attname = 'region_code');
    FOR r IN SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
                AND NOT c.conrelid::regclass::text = ANY (global) AND NOT c.confrelid::regclass::text = ANY (global)
                AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) AND a.attname = 'region_code') LOOP
        IF r.def ~ 'SET NULL|SET DEFAULT' THEN
            -- (x_id, region_code) would set region_code to NULL too.
            RAISE EXCEPTION 'foreign key % of %: % needs a column list', r.conname, r.tbl, r.def;
        END IF;
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tbl, r.conname);
    END LOOP;
    FOR r IN SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
            WHERE c.contype = 'p' AND c.connamespace = current_schema()::regnamespace AND NOT c.conrelid::regclass::text = ANY (global)
                AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) AND a.attname = 'region_code') LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, ADD CONSTRAINT %I %s', r.tbl, r.conname, r.conname,
            regexp_replace(r.def, '\)$', ', region_code)'));
    END LOOP;
    FOR r IN SELECT x.indexrelid::regclass::text AS idx, pg_get_indexdef(x.indexrelid) AS def FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
            WHERE x.indisunique AND NOT x.indisprimary AND t.relnamespace = current_schema()::regnamespace AND NOT t.relname::text = ANY (global)
                AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
                AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey::int2[]) AND a.attname = 'region_code') LOOP
        EXECUTE format('DROP INDEX %I', r.idx);
        EXECUTE regexp_replace(r.def, ' USING btree \(([^)]*)\)', ' USING btree (\1, region_code)');
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(fks, 1), 0) LOOP
        EXECUTE fks[i];
    END LOOP;
END
$$;
-- +goose StatementEnd
{{end}}

-- +goose Down
CREATE UNIQUE INDEX enterprises_uscc ON enterprises (uscc);
{{if eq .Name "sqlite"}}
DROP INDEX api_tokens_hash;
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
DROP INDEX calendar_tokens_hash;
CREATE UNIQUE INDEX calendar_tokens_hash ON calendar_tokens (token_hash);
DROP INDEX daily_reports_day;
CREATE UNIQUE INDEX daily_reports_day ON daily_reports (enterprise_id, day);
DROP INDEX demand_assignments_pair;
CREATE UNIQUE INDEX demand_assignments_pair ON demand_assignments (demand_id, org_unit_id);
DROP INDEX entitlements_policy_enterprise;
CREATE UNIQUE INDEX entitlements_policy_enterprise ON entitlements (policy_id, enterprise_id);
DROP INDEX power_uses_day;
CREATE UNIQUE INDEX power_uses_day ON power_uses (enterprise_id, day);
DROP INDEX project_reports_week;
CREATE UNIQUE INDEX project_reports_week ON project_reports (project_id, week);
DROP INDEX rectifications_inspection;
CREATE UNIQUE INDEX rectifications_inspection ON rectifications (inspection_id);
DROP INDEX referrals_pair;
CREATE UNIQUE INDEX referrals_pair ON referrals (seeker_id, posting_id);
DROP INDEX responsibility_overrides_kind;
CREATE UNIQUE INDEX responsibility_overrides_kind ON responsibility_overrides (enterprise_id, kind);
DROP INDEX screening_checks_day;
CREATE UNIQUE INDEX screening_checks_day ON screening_checks (screening_id, day);
DROP INDEX supply_requests_open;
CREATE UNIQUE INDEX supply_requests_open ON supply_requests (enterprise_id, item) WHERE state = 'open';
DROP INDEX target_reports_week;
CREATE UNIQUE INDEX target_reports_week ON target_reports (target_id, week);
DROP INDEX users_username;
CREATE UNIQUE INDEX users_username ON users (username);
DROP INDEX visit_demands_visit;
CREATE UNIQUE INDEX visit_demands_visit ON visit_demands (visit_id);
DROP INDEX visits_client_uuid;
CREATE UNIQUE INDEX visits_client_uuid ON visits (client_uuid);
DROP INDEX worker_checks_slot;
CREATE UNIQUE INDEX worker_checks_slot ON worker_checks (worker_id, day, slot);
DROP INDEX workers_person;
CREATE UNIQUE INDEX workers_person ON workers (enterprise_id, id_hash);
DROP INDEX workshop_days_day;
CREATE UNIQUE INDEX workshop_days_day ON workshop_days (enterprise_id, day);
{{else}}
-- The keys as they were: region_code taken out of every key that has it last (no key had
-- it there before this migration).
-- +goose StatementBegin
DO $$
DECLARE
    global CONSTANT text[] := ARRAY['regions', 'goose_db_version', 'credit_codes', 'usernames', 'commit_tokens'];
    fks text[];
    r record;
BEGIN
    SELECT array_agg(format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.conrelid::regclass::text, c.conname,
            regexp_replace(pg_get_constraintdef(c.oid), '^FOREIGN KEY \((.*), region_code\) REFERENCES ([^(]+)\((.*), region_code\)',
                'FOREIGN KEY (\1) REFERENCES \2(\3)')) ORDER BY c.conname)
        INTO fks
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND pg_get_constraintdef(c.oid) ~ '^FOREIGN KEY \(.*, region_code\) REFERENCES';
    FOR r IN SELECT c.conrelid::regclass::text AS tbl, c.conname FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND pg_get_constraintdef(c.oid) ~ '^FOREIGN KEY \(.*, region_code\) REFERENCES' LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tbl, r.conname);
    END LOOP;
    FOR r IN SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
            WHERE c.contype = 'p' AND c.connamespace = current_schema()::regnamespace AND NOT c.conrelid::regclass::text = ANY (global)
                AND pg_get_constraintdef(c.oid) ~ ', region_code\)$' LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, ADD CONSTRAINT %I %s', r.tbl, r.conname, r.conname,
            regexp_replace(r.def, ', region_code\)$', ')'));
    END LOOP;
    FOR r IN SELECT x.indexrelid::regclass::text AS idx, pg_get_indexdef(x.indexrelid) AS def FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
            WHERE x.indisunique AND NOT x.indisprimary AND t.relnamespace = current_schema()::regnamespace AND NOT t.relname::text = ANY (global)
                AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
                AND pg_get_indexdef(x.indexrelid) ~ ' USING btree \([^)]*, region_code\)' LOOP
        EXECUTE format('DROP INDEX %I', r.idx);
        EXECUTE regexp_replace(r.def, ' USING btree \(([^)]*), region_code\)', ' USING btree (\1)');
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(fks, 1), 0) LOOP
        EXECUTE fks[i];
    END LOOP;
END
$$;
-- +goose StatementEnd
{{end}}
