-- +goose Up
-- Issue 18, the paths that still ended nowhere.

-- Health. The day's reading of a person in home isolation after a village screening
-- (the health record sealed, the fever flag in clear for the figures), and the missed
-- checks already alerted: the evening job alerts once per person and day, however often
-- it runs.
CREATE TABLE screening_checks (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    screening_id  BIGINT NOT NULL REFERENCES screenings (id),
    village       TEXT NOT NULL,
    day           TEXT NOT NULL,
    fever         BOOLEAN NOT NULL DEFAULT FALSE,
    health_sealed TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL DEFAULT '',
    at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX screening_checks_day ON screening_checks (screening_id, day);

CREATE TABLE missed_checks (
    region_code TEXT NOT NULL,
    kind        TEXT NOT NULL,
    subject_id  BIGINT NOT NULL,
    day         TEXT NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (kind, subject_id, day)
);
CREATE INDEX missed_checks_day ON missed_checks (region_code, day);

-- Policies. An entitlement may be paid in several payments (部分兑付) until their sum
-- reaches its amount; the sum is checked under the entitlement's row lock.
DROP INDEX payments_entitlement;
CREATE INDEX payments_entitlement_id ON payments (entitlement_id);

-- Employment. The villagers a village cadre keeps a phone for (村民通讯录), so that job
-- news reaches the village at large and not only registered seekers; the phones that
-- replied TD (退订) or asked the cadre to stop, which no broadcast reaches again.
CREATE TABLE villagers (
    id           {{.ID}},
    region_code  TEXT NOT NULL,
    village      TEXT NOT NULL REFERENCES regions (code),
    name         TEXT NOT NULL,
    phone_sealed TEXT NOT NULL,
    phone_hash   TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    poor         BOOLEAN NOT NULL DEFAULT FALSE,
    demo         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX villagers_phone ON villagers (region_code, village, phone_hash);

CREATE TABLE broadcast_villagers (
    id              {{.ID}},
    region_code     TEXT NOT NULL,
    broadcast_id    BIGINT NOT NULL REFERENCES broadcasts (id),
    village         TEXT NOT NULL,
    villager_id     BIGINT NOT NULL REFERENCES villagers (id),
    notification_id BIGINT NOT NULL REFERENCES notifications (id)
);
CREATE INDEX broadcast_villagers_broadcast ON broadcast_villagers (broadcast_id, village);

CREATE TABLE sms_optouts (
    region_code  TEXT NOT NULL,
    phone_hash   TEXT NOT NULL,
    phone_masked TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL,
    recorded_by  TEXT NOT NULL DEFAULT '',
    at           BIGINT NOT NULL,
    PRIMARY KEY (region_code, phone_hash)
);
ALTER TABLE broadcasts ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;

-- County work. The probationary member stage (预备党员) between development object and
-- full member.
ALTER TABLE party_applications ADD COLUMN probationary_on TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 1;
