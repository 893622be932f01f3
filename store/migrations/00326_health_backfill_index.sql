-- +goose Up
-- The rows whose health records are still in clear (written before 00219/00319), each
-- table's alone: the server seals them at start (store.SealClearHealth) and finds them
-- here, so that once they are sealed a start reads six empty indexes instead of scanning
-- every check. New rows are sealed as they are written and never enter these indexes.
-- The predicates are store/health_backfill.go's clearHealthTables, word for word.
CREATE INDEX checkpoint_entries_clear_health ON checkpoint_entries (id) WHERE health_sealed = '' AND (origin <> '' OR temperature <> 0);
CREATE INDEX screenings_clear_health ON screenings (id) WHERE health_sealed = '' AND (from_region <> '' OR isolation_until <> '' OR needs <> '' OR temperature <> 0);
CREATE INDEX worker_checks_clear_health ON worker_checks (id) WHERE health_sealed = '' AND (temperature <> 0 OR symptoms <> '');
CREATE INDEX health_alerts_clear_health ON health_alerts (id) WHERE health_sealed = '' AND (temperature <> 0 OR symptoms <> '');
CREATE INDEX worker_gates_clear_health ON worker_gates (id) WHERE health_sealed = '' AND (from_region <> '' OR route <> '' OR temperature <> 0 OR symptoms <> '' OR contact <> FALSE OR isolation_kind <> '' OR planned_end <> '');
CREATE INDEX workers_clear_health ON workers (id) WHERE health_sealed = '' AND (isolation_kind <> '' OR isolation_start <> '' OR isolation_end <> '');

-- +goose Down
DROP INDEX checkpoint_entries_clear_health;
DROP INDEX screenings_clear_health;
DROP INDEX worker_checks_clear_health;
DROP INDEX health_alerts_clear_health;
DROP INDEX worker_gates_clear_health;
DROP INDEX workers_clear_health;
