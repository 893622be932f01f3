-- +goose Up
-- Liaison work: visits (蹲点走访) logged from a phone, the demand raised on a visit, the
-- four responsibilities' overrides, inspections (督查) and their rectifications (限期整改).

CREATE TABLE visits (
    id             {{.ID}},
    region_code    TEXT NOT NULL,
    -- client_uuid is made by the browser when the form opens: a resend of the same form
    -- finds the first visit instead of making a second.
    client_uuid    TEXT NOT NULL,
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    user_id        BIGINT NOT NULL REFERENCES users (id),
    day            TEXT NOT NULL,
    checked_in_at  BIGINT NOT NULL,
    checked_out_at BIGINT NOT NULL,
    located        BOOLEAN NOT NULL DEFAULT FALSE,
    latitude_e6    BIGINT NOT NULL DEFAULT 0,
    longitude_e6   BIGINT NOT NULL DEFAULT 0,
    accuracy_m     INTEGER NOT NULL DEFAULT 0,
    tasks          TEXT NOT NULL DEFAULT '',
    findings       TEXT NOT NULL DEFAULT '',
    demo           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX visits_client_uuid ON visits (client_uuid);
CREATE INDEX visits_day ON visits (region_code, day);
CREATE INDEX visits_user ON visits (user_id, day);
CREATE INDEX visits_enterprise ON visits (enterprise_id, day);

-- The demand a liaison raised on a visit. demand_id links it to the demands workflow
-- when that is wired in (0 until then).
CREATE TABLE visit_demands (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    visit_id      BIGINT NOT NULL REFERENCES visits (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    day           TEXT NOT NULL,
    category      TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL,
    on_site       BOOLEAN NOT NULL DEFAULT FALSE,
    demand_id     BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX visit_demands_visit ON visit_demands (visit_id);
CREATE INDEX visit_demands_user ON visit_demands (user_id, day);

CREATE TABLE responsibility_overrides (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX responsibility_overrides_kind ON responsibility_overrides (enterprise_id, kind);

CREATE TABLE inspections (
    id             {{.ID}},
    region_code    TEXT NOT NULL,
    inspector_id   BIGINT NOT NULL REFERENCES users (id),
    target_kind    TEXT NOT NULL,
    target_user_id BIGINT REFERENCES users (id),
    enterprise_id  BIGINT REFERENCES enterprises (id),
    inspected_on   TEXT NOT NULL,
    finding        TEXT NOT NULL,
    criticism      TEXT NOT NULL DEFAULT '',
    demo           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT NOT NULL
);
CREATE INDEX inspections_county ON inspections (region_code, inspected_on);
CREATE INDEX inspections_target ON inspections (target_user_id);

CREATE TABLE rectifications (
    id              {{.ID}},
    region_code     TEXT NOT NULL,
    inspection_id   BIGINT NOT NULL REFERENCES inspections (id),
    deadline        TEXT NOT NULL,
    state           TEXT NOT NULL,
    report          TEXT NOT NULL DEFAULT '',
    reported_at     BIGINT NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    closed_at       BIGINT NOT NULL DEFAULT 0,
    returns         INTEGER NOT NULL DEFAULT 0,
    -- overdue_notified is the deadline for which the overdue notice went out.
    overdue_notified TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX rectifications_inspection ON rectifications (inspection_id);
CREATE INDEX rectifications_state ON rectifications (region_code, state, deadline);

-- +goose Down
SELECT 1;
