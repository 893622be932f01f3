-- +goose Up
-- The day's temperature checks counted per enterprise and day, kept in the transaction
-- that records each check (and by the generator), so that the health figures of a
-- county read a few thousand rows instead of counting its checks: at province scale
-- 50 million. alarming counts the checks that alerted (a fever or a symptom).
CREATE TABLE check_days (
    enterprise_id BIGINT NOT NULL,
    day           TEXT NOT NULL,
    region_code   TEXT NOT NULL,
    township      TEXT NOT NULL,
    checks        INTEGER NOT NULL DEFAULT 0,
    alarming      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, day)
);
CREATE INDEX check_days_county ON check_days (region_code, day);

INSERT INTO check_days (enterprise_id, day, region_code, township, checks, alarming)
SELECT enterprise_id, day, MIN(region_code), MIN(township), COUNT(*), SUM(CASE WHEN temperature >= 373 OR trim(symptoms) <> '' THEN 1 ELSE 0 END)
FROM worker_checks GROUP BY enterprise_id, day;

-- The health figures count workers by enterprise, status and preventive doses: an
-- index that holds all four answers without reading the workers' rows.
CREATE INDEX workers_health ON workers (region_code, enterprise_id, status, tcm_doses);

-- +goose Down
SELECT 1;
