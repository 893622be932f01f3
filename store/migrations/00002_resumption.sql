-- +goose Up
-- Resumption (复工复产): checklist standards per focus area, declarations and their
-- reviews, daily enterprise reports, key projects' weekly reports, every enterprise's
-- timeline, and uploaded ledgers waiting for their import to be confirmed.

CREATE TABLE checklist_items (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    focus_area  TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    text        TEXT NOT NULL,
    required    BOOLEAN NOT NULL DEFAULT TRUE,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX checklist_items_area ON checklist_items (region_code, focus_area, position);

CREATE TABLE declarations (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    planned_on    TEXT NOT NULL,
    answers       TEXT NOT NULL DEFAULT '{}',
    note          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    declared_by   BIGINT NOT NULL DEFAULT 0,
    declarer      TEXT NOT NULL DEFAULT '',
    declared_at   BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX declarations_enterprise ON declarations (enterprise_id);
CREATE INDEX declarations_state ON declarations (region_code, state);

CREATE TABLE declaration_reviews (
    id             {{.ID}},
    region_code    TEXT NOT NULL,
    declaration_id BIGINT NOT NULL REFERENCES declarations (id),
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    stage          TEXT NOT NULL,
    decision       TEXT NOT NULL,
    reason         TEXT NOT NULL,
    user_id        BIGINT NOT NULL DEFAULT 0,
    username       TEXT NOT NULL DEFAULT '',
    at             BIGINT NOT NULL
);
CREATE INDEX declaration_reviews_declaration ON declaration_reviews (declaration_id);

CREATE TABLE daily_reports (
    id               {{.ID}},
    region_code      TEXT NOT NULL,
    enterprise_id    BIGINT NOT NULL REFERENCES enterprises (id),
    day              TEXT NOT NULL,
    on_duty          INTEGER NOT NULL DEFAULT 0,
    capacity         INTEGER NOT NULL DEFAULT 0,
    mask_stock       INTEGER NOT NULL DEFAULT 0,
    masks_used       INTEGER NOT NULL DEFAULT 0,
    returned_outside INTEGER NOT NULL DEFAULT 0,
    reported_by      BIGINT NOT NULL DEFAULT 0,
    reported_at      BIGINT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX daily_reports_day ON daily_reports (enterprise_id, day);
CREATE INDEX daily_reports_county_day ON daily_reports (region_code, day);

CREATE TABLE project_reports (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    project_id  BIGINT NOT NULL REFERENCES key_projects (id),
    week        TEXT NOT NULL,
    progress    INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    username    TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX project_reports_week ON project_reports (project_id, week);

CREATE TABLE enterprise_events (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    day           TEXT NOT NULL,
    at            BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    detail        TEXT NOT NULL DEFAULT '',
    username      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enterprise_events_enterprise ON enterprise_events (enterprise_id, at);

CREATE TABLE ledger_uploads (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    user_id     BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    filename    TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE INDEX enterprises_resumed ON enterprises (region_code, workshop, resumed_on);
CREATE INDEX leader_links_project ON leader_links (project_id);
CREATE INDEX key_projects_name ON key_projects (region_code, name);

-- +goose Down
SELECT 1;
