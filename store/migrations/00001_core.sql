-- +goose Up
-- The platform core: regions, org units, people, sessions and tokens, the audit log,
-- the durable job queue and the notification outbox, and the registry rows every scope
-- check needs (enterprises, key projects, liaison assignments, leader links).
-- Times are UTC Unix milliseconds (BIGINT) so both engines compare them alike;
-- calendar days are TEXT 'YYYY-MM-DD' in the county's time zone.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    region_code TEXT NOT NULL,
    name        TEXT NOT NULL,
    parent_code TEXT,
    level       TEXT NOT NULL,
    demo        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE org_units (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    focus_areas TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX org_units_name ON org_units (region_code, name);

CREATE TABLE enterprises (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    name          TEXT NOT NULL,
    uscc          TEXT NOT NULL,
    township      TEXT NOT NULL REFERENCES regions (code),
    village       TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    industry      TEXT NOT NULL DEFAULT '',
    focus_area    TEXT NOT NULL DEFAULT '',
    above_scale   BOOLEAN NOT NULL DEFAULT FALSE,
    park_tenant   BOOLEAN NOT NULL DEFAULT FALSE,
    monthly_rent  BIGINT NOT NULL DEFAULT 0,
    payroll       INTEGER NOT NULL DEFAULT 0,
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    workshop      BOOLEAN NOT NULL DEFAULT FALSE,
    status        TEXT NOT NULL,
    status_date   TEXT NOT NULL DEFAULT '',
    resumed_on    TEXT NOT NULL DEFAULT '',
    demo          BOOLEAN NOT NULL DEFAULT FALSE,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX enterprises_uscc ON enterprises (uscc);
CREATE INDEX enterprises_county ON enterprises (region_code, township);
CREATE INDEX enterprises_name ON enterprises (region_code, name);

CREATE TABLE key_projects (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    name        TEXT NOT NULL,
    township    TEXT NOT NULL REFERENCES regions (code),
    investment  BIGINT NOT NULL DEFAULT 0,
    stage       TEXT NOT NULL DEFAULT '',
    progress    INTEGER NOT NULL DEFAULT 0,
    demo        BOOLEAN NOT NULL DEFAULT FALSE,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX key_projects_county ON key_projects (region_code);

CREATE TABLE users (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    username      TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_unit_id   BIGINT REFERENCES org_units (id),
    region        TEXT NOT NULL DEFAULT '',
    enterprise_id BIGINT REFERENCES enterprises (id),
    rank          TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT NOT NULL DEFAULT 0,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);
CREATE INDEX users_role ON users (region_code, role);

CREATE TABLE liaison_assignments (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    from_date     TEXT NOT NULL,
    to_date       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX liaison_assignments_user ON liaison_assignments (user_id, to_date);
CREATE INDEX liaison_assignments_enterprise ON liaison_assignments (enterprise_id);

CREATE TABLE leader_links (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    enterprise_id BIGINT REFERENCES enterprises (id),
    project_id    BIGINT REFERENCES key_projects (id),
    from_date     TEXT NOT NULL,
    to_date       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX leader_links_user ON leader_links (user_id);
CREATE INDEX leader_links_enterprise ON leader_links (enterprise_id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    region_code TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    csrf_token  TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE audit_log (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    at          BIGINT NOT NULL,
    user_id     BIGINT NOT NULL DEFAULT 0,
    username    TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (region_code, at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TABLE jobs (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '',
    run_at      BIGINT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'ready',
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX jobs_ready ON jobs (state, run_at);

CREATE TABLE notifications (
    id           {{.ID}},
    region_code  TEXT NOT NULL,
    channel      TEXT NOT NULL,
    recipient    TEXT NOT NULL DEFAULT '',
    user_id      BIGINT NOT NULL DEFAULT 0,
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    entity       TEXT NOT NULL DEFAULT '',
    entity_id    TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      BIGINT NOT NULL,
    sent_at      BIGINT NOT NULL DEFAULT 0,
    read_at      BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX notifications_pending ON notifications (state, next_at);
CREATE INDEX notifications_user ON notifications (user_id, read_at);
CREATE INDEX notifications_entity ON notifications (entity, entity_id);

CREATE TABLE idempotency_keys (
    key_hash    TEXT PRIMARY KEY,
    region_code TEXT NOT NULL,
    user_id     BIGINT NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE settings (
    region_code TEXT NOT NULL,
    name        TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (region_code, name)
);

-- +goose Down
SELECT 1;
