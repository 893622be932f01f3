-- +goose Up
-- Demands under the same-day rule: the demands, their timelines, their dispatches to
-- departments, the coordinated actions that answer many at once, and the day counters
-- that number them SQ-YYYYMMDD-NNNN. Clocks run as rows of the jobs table.

CREATE TABLE demand_actions (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    title         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    owner_org_id  BIGINT NOT NULL REFERENCES org_units (id),
    state         TEXT NOT NULL DEFAULT 'open',
    created_by    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    solved_at     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX demand_actions_county ON demand_actions (region_code, state);

CREATE TABLE demands (
    id               {{.ID}},
    region_code      TEXT NOT NULL,
    number           TEXT NOT NULL,
    enterprise_id    BIGINT NOT NULL REFERENCES enterprises (id),
    township         TEXT NOT NULL DEFAULT '',
    liaison_id       BIGINT NOT NULL DEFAULT 0,
    category         TEXT NOT NULL,
    description      TEXT NOT NULL,
    quantity         BIGINT NOT NULL DEFAULT 0,
    unit             TEXT NOT NULL DEFAULT '',
    fields           TEXT NOT NULL DEFAULT '{}',
    urgency          TEXT NOT NULL,
    channel          TEXT NOT NULL,
    raised_by        BIGINT NOT NULL DEFAULT 0,
    raised_by_name   TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL,
    level            TEXT NOT NULL,
    on_site          BOOLEAN NOT NULL DEFAULT FALSE,
    action_id        BIGINT NOT NULL DEFAULT 0,
    day              TEXT NOT NULL,
    received_at      BIGINT NOT NULL,
    response_due     BIGINT NOT NULL,
    same_day_due     BIGINT NOT NULL,
    solution_due     BIGINT NOT NULL,
    responded_at     BIGINT NOT NULL DEFAULT 0,
    owned_at         BIGINT NOT NULL DEFAULT 0,
    solved_at        BIGINT NOT NULL DEFAULT 0,
    confirmed_at     BIGINT NOT NULL DEFAULT 0,
    closed_at        BIGINT NOT NULL DEFAULT 0,
    waiting_since    BIGINT NOT NULL DEFAULT 0,
    paused_ms        BIGINT NOT NULL DEFAULT 0,
    response_late    BOOLEAN NOT NULL DEFAULT FALSE,
    same_day_late    BOOLEAN NOT NULL DEFAULT FALSE,
    solution_late    BOOLEAN NOT NULL DEFAULT FALSE,
    warned           INTEGER NOT NULL DEFAULT 0,
    response_minutes INTEGER NOT NULL DEFAULT -1,
    response_over    INTEGER NOT NULL DEFAULT 0,
    same_day_over    INTEGER NOT NULL DEFAULT 0,
    solution_minutes INTEGER NOT NULL DEFAULT -1,
    solution_over    INTEGER NOT NULL DEFAULT 0,
    urge_count       INTEGER NOT NULL DEFAULT 0,
    urged_at         BIGINT NOT NULL DEFAULT 0,
    rating           INTEGER NOT NULL DEFAULT 0,
    comment          TEXT NOT NULL DEFAULT '',
    demo             BOOLEAN NOT NULL DEFAULT FALSE,
    version          BIGINT NOT NULL DEFAULT 1,
    updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX demands_number ON demands (region_code, number);
CREATE INDEX demands_state ON demands (region_code, state, category);
CREATE INDEX demands_day ON demands (region_code, day);
CREATE INDEX demands_enterprise ON demands (enterprise_id);
CREATE INDEX demands_liaison ON demands (liaison_id);
CREATE INDEX demands_action ON demands (action_id);

CREATE TABLE demand_counters (
    region_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (region_code, day)
);

CREATE TABLE demand_events (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    demand_id   BIGINT NOT NULL REFERENCES demands (id),
    at          BIGINT NOT NULL,
    user_id     BIGINT NOT NULL DEFAULT 0,
    username    TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL DEFAULT '',
    to_state    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX demand_events_demand ON demand_events (demand_id, id);

CREATE TABLE demand_assignments (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    demand_id   BIGINT NOT NULL REFERENCES demands (id),
    org_unit_id BIGINT NOT NULL REFERENCES org_units (id),
    at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX demand_assignments_pair ON demand_assignments (demand_id, org_unit_id);
CREATE INDEX demand_assignments_org ON demand_assignments (org_unit_id);

-- +goose Down
SELECT 1;
