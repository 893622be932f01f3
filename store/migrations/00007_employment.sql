-- +goose Up
-- Jobs near home: job postings, job seekers registered by village cadres (ID number and
-- phone sealed, found by keyed hash, kept masked for display), referrals with a dated
-- step each, SMS broadcasts to villages, and the poverty workshops' daily headcounts.

CREATE TABLE job_postings (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    title         TEXT NOT NULL,
    openings      INTEGER NOT NULL,
    wage_min      INTEGER NOT NULL DEFAULT 0,
    wage_max      INTEGER NOT NULL DEFAULT 0,
    township      TEXT NOT NULL REFERENCES regions (code),
    village       TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    requirements  TEXT NOT NULL DEFAULT '',
    skills        TEXT NOT NULL DEFAULT '',
    near_home     BOOLEAN NOT NULL DEFAULT FALSE,
    meals         BOOLEAN NOT NULL DEFAULT FALSE,
    lodging       BOOLEAN NOT NULL DEFAULT FALSE,
    lat           DOUBLE PRECISION NOT NULL DEFAULT 0,
    lng           DOUBLE PRECISION NOT NULL DEFAULT 0,
    posted_on     TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    closed        BOOLEAN NOT NULL DEFAULT FALSE,
    demo          BOOLEAN NOT NULL DEFAULT FALSE,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX job_postings_open ON job_postings (region_code, closed, valid_until);
CREATE INDEX job_postings_enterprise ON job_postings (enterprise_id);

CREATE TABLE job_seekers (
    id               {{.ID}},
    region_code      TEXT NOT NULL,
    township         TEXT NOT NULL,
    village          TEXT NOT NULL REFERENCES regions (code),
    name             TEXT NOT NULL,
    id_number_sealed TEXT NOT NULL DEFAULT '',
    id_number_hash   TEXT NOT NULL DEFAULT '',
    id_number_masked TEXT NOT NULL DEFAULT '',
    phone_sealed     TEXT NOT NULL,
    phone_hash       TEXT NOT NULL,
    phone_masked     TEXT NOT NULL,
    age              INTEGER NOT NULL DEFAULT 0,
    gender           TEXT NOT NULL DEFAULT '',
    skills           TEXT NOT NULL DEFAULT '',
    wanted           TEXT NOT NULL DEFAULT '',
    wage_expect      INTEGER NOT NULL DEFAULT 0,
    poor             BOOLEAN NOT NULL DEFAULT FALSE,
    available        TEXT NOT NULL DEFAULT '',
    lat              DOUBLE PRECISION NOT NULL DEFAULT 0,
    lng              DOUBLE PRECISION NOT NULL DEFAULT 0,
    demo             BOOLEAN NOT NULL DEFAULT FALSE,
    version          BIGINT NOT NULL DEFAULT 1,
    created_by       BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX job_seekers_phone ON job_seekers (region_code, phone_hash);
CREATE INDEX job_seekers_id_number ON job_seekers (region_code, id_number_hash);
CREATE INDEX job_seekers_village ON job_seekers (region_code, village);

CREATE TABLE referrals (
    id             {{.ID}},
    region_code    TEXT NOT NULL,
    seeker_id      BIGINT NOT NULL REFERENCES job_seekers (id),
    posting_id     BIGINT NOT NULL REFERENCES job_postings (id),
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    village        TEXT NOT NULL,
    township       TEXT NOT NULL,
    state          TEXT NOT NULL,
    referred_on    TEXT NOT NULL,
    interviewed_on TEXT NOT NULL DEFAULT '',
    hired_on       TEXT NOT NULL DEFAULT '',
    on_duty_on     TEXT NOT NULL DEFAULT '',
    declined_on    TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX referrals_pair ON referrals (seeker_id, posting_id);
CREATE INDEX referrals_posting ON referrals (posting_id);
CREATE INDEX referrals_county ON referrals (region_code, state);

CREATE TABLE broadcasts (
    id          {{.ID}},
    region_code TEXT NOT NULL,
    sender_id   BIGINT NOT NULL REFERENCES users (id),
    text        TEXT NOT NULL,
    villages    TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    units       INTEGER NOT NULL,
    parts       INTEGER NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX broadcasts_county ON broadcasts (region_code, created_at);

CREATE TABLE broadcast_recipients (
    id              {{.ID}},
    region_code     TEXT NOT NULL,
    broadcast_id    BIGINT NOT NULL REFERENCES broadcasts (id),
    village         TEXT NOT NULL,
    seeker_id       BIGINT NOT NULL REFERENCES job_seekers (id),
    notification_id BIGINT NOT NULL REFERENCES notifications (id)
);
CREATE INDEX broadcast_recipients_broadcast ON broadcast_recipients (broadcast_id, village);

CREATE TABLE workshop_days (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    day           TEXT NOT NULL,
    workers       INTEGER NOT NULL,
    poor_workers  INTEGER NOT NULL,
    shifts        INTEGER NOT NULL DEFAULT 1,
    daily_wage    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX workshop_days_day ON workshop_days (enterprise_id, day);
CREATE INDEX workshop_days_county ON workshop_days (region_code, day);

-- +goose Down
SELECT 1;
