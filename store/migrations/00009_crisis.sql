-- +goose Up
-- The rest of the county's crisis work: targets with parcels and weekly progress; hazard
-- points with their flood-season duty roster, patrols and risk notices; border
-- checkpoints with shifts and registrations, and village screening; frontline party
-- applications; the court's and procuratorate's visits to enterprises.

CREATE TABLE targets (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    planned       BIGINT NOT NULL,
    year          INTEGER NOT NULL,
    start_day     TEXT NOT NULL,
    org_unit_id   BIGINT REFERENCES org_units (id),
    working_group TEXT NOT NULL DEFAULT '',
    leader        TEXT NOT NULL DEFAULT '',
    demo          BOOLEAN NOT NULL DEFAULT FALSE,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX targets_county ON targets (region_code);

CREATE TABLE target_parcels (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    target_id   BIGINT NOT NULL REFERENCES targets (id),
    name        TEXT NOT NULL,
    planned     BIGINT NOT NULL
);
CREATE INDEX target_parcels_target ON target_parcels (target_id);

CREATE TABLE target_reports (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    target_id   BIGINT NOT NULL REFERENCES targets (id),
    week        TEXT NOT NULL,
    done        BIGINT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    username    TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX target_reports_week ON target_reports (target_id, week);

CREATE TABLE hazard_points (
    id              {{.ID}},
    region_code     TEXT NOT NULL,
    name            TEXT NOT NULL,
    township        TEXT NOT NULL,
    village         TEXT NOT NULL DEFAULT '',
    location        TEXT NOT NULL DEFAULT '',
    households      INTEGER NOT NULL DEFAULT 0,
    people          INTEGER NOT NULL DEFAULT 0,
    warning_signs   INTEGER NOT NULL DEFAULT 0,
    route_signs     INTEGER NOT NULL DEFAULT 0,
    placement_signs INTEGER NOT NULL DEFAULT 0,
    whistles        INTEGER NOT NULL DEFAULT 0,
    gongs           INTEGER NOT NULL DEFAULT 0,
    avoidance_cards INTEGER NOT NULL DEFAULT 0,
    plan            TEXT NOT NULL DEFAULT '',
    patrol_days     INTEGER NOT NULL DEFAULT 7,
    demo            BOOLEAN NOT NULL DEFAULT FALSE,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX hazard_points_county ON hazard_points (region_code);

CREATE TABLE duty_days (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    leader      TEXT NOT NULL DEFAULT '',
    staff       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX duty_days_day ON duty_days (region_code, day);

CREATE TABLE patrols (
    id              {{.ID}},
    region_code     TEXT NOT NULL,
    hazard_point_id BIGINT NOT NULL REFERENCES hazard_points (id),
    day             TEXT NOT NULL,
    at              BIGINT NOT NULL,
    username        TEXT NOT NULL DEFAULT '',
    finding         TEXT NOT NULL DEFAULT '',
    danger          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX patrols_point ON patrols (hazard_point_id, day);

CREATE TABLE risk_notices (
    id              {{.ID}},
    region_code     TEXT NOT NULL,
    hazard_point_id BIGINT NOT NULL REFERENCES hazard_points (id),
    household       TEXT NOT NULL,
    day             TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_notices_point ON risk_notices (hazard_point_id);

CREATE TABLE checkpoints (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    name        TEXT NOT NULL,
    township    TEXT NOT NULL,
    location    TEXT NOT NULL DEFAULT '',
    opened_on   TEXT NOT NULL DEFAULT '',
    demo        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX checkpoints_county ON checkpoints (region_code);

CREATE TABLE checkpoint_shifts (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    checkpoint_id BIGINT NOT NULL REFERENCES checkpoints (id),
    day           TEXT NOT NULL,
    shift         TEXT NOT NULL DEFAULT '',
    staff         TEXT NOT NULL,
    village       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX checkpoint_shifts_checkpoint ON checkpoint_shifts (checkpoint_id, day);

CREATE TABLE checkpoint_entries (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    checkpoint_id BIGINT NOT NULL REFERENCES checkpoints (id),
    at            BIGINT NOT NULL,
    plate         TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL,
    id_number     TEXT NOT NULL DEFAULT '',
    id_hash       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT '',
    temperature   INTEGER NOT NULL,
    fever         BOOLEAN NOT NULL DEFAULT FALSE,
    username      TEXT NOT NULL DEFAULT '',
    demo          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX checkpoint_entries_checkpoint ON checkpoint_entries (checkpoint_id, at);
CREATE INDEX checkpoint_entries_hash ON checkpoint_entries (id_hash);

CREATE TABLE screenings (
    id              {{.ID}},
    region_code     TEXT NOT NULL,
    village         TEXT NOT NULL,
    name            TEXT NOT NULL,
    id_number       TEXT NOT NULL DEFAULT '',
    id_hash         TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    from_region     TEXT NOT NULL DEFAULT '',
    returned_on     TEXT NOT NULL,
    isolation_until TEXT NOT NULL DEFAULT '',
    needs           TEXT NOT NULL DEFAULT '',
    temperature     INTEGER NOT NULL DEFAULT 0,
    screened_by     TEXT NOT NULL DEFAULT '',
    day             TEXT NOT NULL,
    demo            BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX screenings_village ON screenings (region_code, village);

CREATE TABLE party_applications (
    id           {{.ID}},
    region_code  TEXT NOT NULL,
    name         TEXT NOT NULL,
    unit         TEXT NOT NULL,
    post         TEXT NOT NULL DEFAULT '',
    contribution TEXT NOT NULL DEFAULT '',
    risk         TEXT NOT NULL DEFAULT '',
    stage        TEXT NOT NULL,
    applied_on   TEXT NOT NULL,
    activist_on  TEXT NOT NULL DEFAULT '',
    candidate_on TEXT NOT NULL DEFAULT '',
    member_on    TEXT NOT NULL DEFAULT '',
    demo         BOOLEAN NOT NULL DEFAULT FALSE,
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX party_applications_county ON party_applications (region_code, stage);

CREATE TABLE judicial_visits (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    org_unit_id   BIGINT NOT NULL REFERENCES org_units (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    day           TEXT NOT NULL,
    visitor       TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    demand_id     BIGINT NOT NULL DEFAULT 0,
    demo          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX judicial_visits_org ON judicial_visits (org_unit_id);

-- +goose Down
SELECT 1;
