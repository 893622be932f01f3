-- +goose Up
-- Workforce health: returning workers (personal data sealed, found by a keyed hash), the
-- four gates as dated steps, temperature checks, alerts, and protective supplies with
-- the supply requests the shortage rule raises. Temperatures are integer tenths of a degree.

CREATE TABLE workers (
    id              {{.ID}},
    region_code     TEXT NOT NULL,
    enterprise_id   BIGINT NOT NULL REFERENCES enterprises (id),
    township        TEXT NOT NULL,
    name            TEXT NOT NULL,
    id_sealed       TEXT NOT NULL,
    id_hash         TEXT NOT NULL,
    id_masked       TEXT NOT NULL,
    phone_sealed    TEXT NOT NULL DEFAULT '',
    phone_masked    TEXT NOT NULL DEFAULT '',
    home_region     TEXT NOT NULL DEFAULT '',
    poor            BOOLEAN NOT NULL DEFAULT FALSE,
    status          TEXT NOT NULL,
    gate            TEXT NOT NULL DEFAULT '',
    risk            TEXT NOT NULL DEFAULT '',
    arrival         TEXT NOT NULL DEFAULT '',
    isolation_kind  TEXT NOT NULL DEFAULT '',
    isolation_start TEXT NOT NULL DEFAULT '',
    isolation_end   TEXT NOT NULL DEFAULT '',
    tcm_doses       INTEGER NOT NULL DEFAULT 0,
    demo            BOOLEAN NOT NULL DEFAULT FALSE,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX workers_person ON workers (enterprise_id, id_hash);
CREATE INDEX workers_enterprise ON workers (enterprise_id, status);
CREATE INDEX workers_county ON workers (region_code, township, status);

CREATE TABLE worker_gates (
    id             {{.ID}},
    region_code    TEXT NOT NULL,
    enterprise_id  BIGINT NOT NULL,
    worker_id      BIGINT NOT NULL REFERENCES workers (id),
    gate           TEXT NOT NULL,
    day            TEXT NOT NULL,
    from_region    TEXT NOT NULL DEFAULT '',
    route          TEXT NOT NULL DEFAULT '',
    arrival        TEXT NOT NULL DEFAULT '',
    temperature    INTEGER NOT NULL DEFAULT 0,
    contact        BOOLEAN NOT NULL DEFAULT FALSE,
    symptoms       TEXT NOT NULL DEFAULT '',
    risk           TEXT NOT NULL DEFAULT '',
    isolation_kind TEXT NOT NULL DEFAULT '',
    planned_end    TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    recorded_by    BIGINT NOT NULL DEFAULT 0,
    recorder_name  TEXT NOT NULL DEFAULT '',
    at             BIGINT NOT NULL
);
CREATE INDEX worker_gates_worker ON worker_gates (worker_id);

CREATE TABLE worker_checks (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    township      TEXT NOT NULL,
    worker_id     BIGINT NOT NULL REFERENCES workers (id),
    day           TEXT NOT NULL,
    slot          TEXT NOT NULL,
    temperature   INTEGER NOT NULL,
    symptoms      TEXT NOT NULL DEFAULT '',
    recorded_by   BIGINT NOT NULL DEFAULT 0,
    at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX worker_checks_slot ON worker_checks (worker_id, day, slot);
CREATE INDEX worker_checks_enterprise ON worker_checks (enterprise_id, day);

CREATE TABLE health_alerts (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    township      TEXT NOT NULL,
    worker_id     BIGINT NOT NULL REFERENCES workers (id),
    day           TEXT NOT NULL,
    temperature   INTEGER NOT NULL DEFAULT 0,
    symptoms      TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX health_alerts_day ON health_alerts (region_code, day);
CREATE INDEX health_alerts_enterprise ON health_alerts (enterprise_id, day);

CREATE TABLE supply_entries (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    item          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    quantity      INTEGER NOT NULL,
    day           TEXT NOT NULL,
    worker_id     BIGINT NOT NULL DEFAULT 0,
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   BIGINT NOT NULL DEFAULT 0,
    at            BIGINT NOT NULL
);
CREATE INDEX supply_entries_enterprise ON supply_entries (enterprise_id, item);
CREATE INDEX supply_entries_county ON supply_entries (region_code, item);

CREATE TABLE supply_settings (
    enterprise_id    BIGINT PRIMARY KEY REFERENCES enterprises (id),
    region_code      TEXT NOT NULL,
    attendance_pct   INTEGER NOT NULL,
    masks_per_person INTEGER NOT NULL,
    threshold_days   INTEGER NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE supply_requests (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    item          TEXT NOT NULL,
    quantity      INTEGER NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'open',
    raised_at     BIGINT NOT NULL,
    closed_at     BIGINT NOT NULL DEFAULT 0
);
-- One open request per enterprise and item: the shortage rule raises it once.
CREATE UNIQUE INDEX supply_requests_open ON supply_requests (enterprise_id, item) WHERE state = 'open';

-- +goose Down
SELECT 1;
