-- +goose Up
-- The command centre (issue 9): the daily and weekly reports as made each evening and
-- kept, and the grid company's electricity readings for the power-based resumption index.
CREATE TABLE reports (
    id           {{.ID}},
    region_code  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    from_day     TEXT NOT NULL,
    to_day       TEXT NOT NULL,
    body         TEXT NOT NULL,
    generated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX reports_day ON reports (region_code, kind, to_day);

CREATE TABLE power_uses (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    day           TEXT NOT NULL,
    wh            BIGINT NOT NULL
);
CREATE UNIQUE INDEX power_uses_day ON power_uses (enterprise_id, day);
CREATE INDEX power_uses_county_day ON power_uses (region_code, day);

-- A baseline given in the sheet's own column (基准日均用电量) overrides the December
-- average computed from the readings.
CREATE TABLE power_baselines (
    enterprise_id BIGINT PRIMARY KEY REFERENCES enterprises (id),
    region_code   TEXT NOT NULL,
    wh            BIGINT NOT NULL
);

-- +goose Down
SELECT 1;
