-- +goose Up
-- Setting a county up in the browser: org units can be retired (kept for history, gone
-- from choices); an account made by the office carries an initial password, sealed, for
-- the printable hand-out list until its owner changes it at first login; and each org
-- unit has its group robots (WeCom, DingTalk with its signing secret and @mobiles) with
-- the events that reach them.
ALTER TABLE org_units ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE org_units ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN initial_password TEXT NOT NULL DEFAULT '';

CREATE TABLE notify_channels (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    org_unit_id BIGINT NOT NULL REFERENCES org_units (id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    webhook     TEXT NOT NULL,
    secret      TEXT NOT NULL DEFAULT '',
    at_mobiles  TEXT NOT NULL DEFAULT '',
    events      TEXT NOT NULL DEFAULT '',
    retired     BOOLEAN NOT NULL DEFAULT FALSE,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX notify_channels_county ON notify_channels (region_code, org_unit_id);

-- +goose Down
SELECT 1;
