-- +goose Up
-- The kept demand figures stored in the order they are read: every reader asks for one
-- dimension of one county (or of the counties under a province's code) over some days,
-- so the key starts (dim, region_code, day). On SQLite the table is clustered on that key
-- (WITHOUT ROWID): a province's figures by category over 100 counties and four weeks read
-- 22,400 neighbouring rows instead of looking each up through a secondary index, and
-- intake's upsert maintains one b-tree instead of three.
CREATE TABLE demand_day_stats_new (
    dim               TEXT NOT NULL,
    region_code       TEXT NOT NULL,
    day               TEXT NOT NULL,
    grp               TEXT NOT NULL,
    shard             INTEGER NOT NULL DEFAULT 0,
    total             INTEGER NOT NULL DEFAULT 0,
    responded         INTEGER NOT NULL DEFAULT 0,
    responded_on_time INTEGER NOT NULL DEFAULT 0,
    same_day_met      INTEGER NOT NULL DEFAULT 0,
    solved            INTEGER NOT NULL DEFAULT 0,
    solved_on_time    INTEGER NOT NULL DEFAULT 0,
    on_site           INTEGER NOT NULL DEFAULT 0,
    late              INTEGER NOT NULL DEFAULT 0,
    escalated         INTEGER NOT NULL DEFAULT 0,
    rated             INTEGER NOT NULL DEFAULT 0,
    rating_sum        INTEGER NOT NULL DEFAULT 0,
    satisfied         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, region_code, day, grp, shard)
){{if eq .Name "sqlite"}} WITHOUT ROWID{{end}};
INSERT INTO demand_day_stats_new (dim, region_code, day, grp, shard, total, responded, responded_on_time, same_day_met, solved, solved_on_time,
    on_site, late, escalated, rated, rating_sum, satisfied)
SELECT dim, region_code, day, grp, shard, total, responded, responded_on_time, same_day_met, solved, solved_on_time,
    on_site, late, escalated, rated, rating_sum, satisfied FROM demand_day_stats;
DROP TABLE demand_day_stats;
ALTER TABLE demand_day_stats_new RENAME TO demand_day_stats;

-- Resumption and attendance kept per county and day, so that a province's screen adds up
-- a few rows per county instead of grouping its 100,000 enterprises and the day's daily
-- reports. Each enterprise (poverty workshops apart, as ResumptionTrend counts) adds 1 to
-- enterprises on day '' and, once resumed, 1 to resumed on the day it resumed and -1 on
-- the day it stopped again (status '停产', fugong.StatusStopped; the enterprises resumed on day D:
-- day '' < day <= D added up).
-- Each daily report adds 1 to reports, its on_duty, and its enterprise's payroll on its
-- day. Triggers keep the rows in the transaction of every write, whichever code path (an
-- edit, a declaration reviewed, a ledger import, the generator's COPY) makes it.
-- On PostgreSQL each transaction writes one of 8 shards per county and day (its id modulo 8: a
-- county's daily reports of the morning would otherwise queue for one row); readers add
-- the shards up.
CREATE TABLE resumption_day_stats (
    region_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    shard       INTEGER NOT NULL DEFAULT 0,
    enterprises INTEGER NOT NULL DEFAULT 0,
    resumed     INTEGER NOT NULL DEFAULT 0,
    reports     INTEGER NOT NULL DEFAULT 0,
    on_duty     BIGINT NOT NULL DEFAULT 0,
    payroll     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, day, shard)
){{if eq .Name "sqlite"}} WITHOUT ROWID{{end}};

INSERT INTO resumption_day_stats (region_code, day, shard, enterprises)
SELECT region_code, '', 0, COUNT(*) FROM enterprises WHERE NOT workshop GROUP BY region_code;
INSERT INTO resumption_day_stats (region_code, day, shard, resumed)
SELECT region_code, day, 1, SUM(n) FROM (
    SELECT region_code, resumed_on AS day, 1 AS n FROM enterprises WHERE {{template "counted" "enterprises"}}
    UNION ALL
    SELECT region_code, status_date, -1 FROM enterprises WHERE {{template "counted" "enterprises"}} AND status = '停产' AND status_date <> ''
) t GROUP BY region_code, day;
INSERT INTO resumption_day_stats (region_code, day, shard, reports, on_duty, payroll)
SELECT e.region_code, r.day, 2, COUNT(*), SUM(r.on_duty), SUM(e.payroll)
FROM daily_reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE NOT e.workshop GROUP BY e.region_code, r.day;

{{define "counted"}}NOT {{.}}.workshop AND {{.}}.resumed_on <> '' AND NOT ({{.}}.status = '停产' AND {{.}}.status_date <> '' AND {{.}}.status_date <= {{.}}.resumed_on){{end}}
{{define "sign"}}{{if eq . "NEW"}}+{{else}}-{{end}}{{end}}
{{define "opposite"}}{{if eq . "NEW"}}-{{else}}+{{end}}{{end}}
{{- /* An enterprise's own share (SQLite): its row on day '', the day it resumed, the day it stopped. A missing row is
     inserted first, guarded by NOT EXISTS rather than OR IGNORE: the conflict policy of the statement that fired the
     trigger (a daily report's upsert) would override it. */ -}}
{{define "enterprise"}}
    INSERT INTO resumption_day_stats (region_code, day) SELECT {{.}}.region_code, '' WHERE NOT {{.}}.workshop
        AND NOT EXISTS (SELECT 1 FROM resumption_day_stats WHERE region_code = {{.}}.region_code AND day = '' AND shard = 0);
    UPDATE resumption_day_stats SET enterprises = enterprises {{template "sign" .}} 1
        WHERE region_code = {{.}}.region_code AND day = '' AND shard = 0 AND NOT {{.}}.workshop;
    INSERT INTO resumption_day_stats (region_code, day) SELECT {{.}}.region_code, {{.}}.resumed_on WHERE {{template "counted" .}}
        AND NOT EXISTS (SELECT 1 FROM resumption_day_stats WHERE region_code = {{.}}.region_code AND day = {{.}}.resumed_on AND shard = 0);
    UPDATE resumption_day_stats SET resumed = resumed {{template "sign" .}} 1
        WHERE region_code = {{.}}.region_code AND day = {{.}}.resumed_on AND shard = 0 AND {{template "counted" .}};
    INSERT INTO resumption_day_stats (region_code, day) SELECT {{.}}.region_code, {{.}}.status_date
        WHERE {{template "counted" .}} AND {{.}}.status = '停产' AND {{.}}.status_date <> ''
        AND NOT EXISTS (SELECT 1 FROM resumption_day_stats WHERE region_code = {{.}}.region_code AND day = {{.}}.status_date AND shard = 0);
    UPDATE resumption_day_stats SET resumed = resumed {{template "opposite" .}} 1
        WHERE region_code = {{.}}.region_code AND day = {{.}}.status_date AND shard = 0 AND {{template "counted" .}} AND {{.}}.status = '停产' AND {{.}}.status_date <> '';
{{end}}
{{- /* The shares of an enterprise's daily reports, which carry its payroll (SQLite). */ -}}
{{define "enterprise_reports"}}
    INSERT INTO resumption_day_stats (region_code, day) SELECT {{.}}.region_code, r.day FROM daily_reports r WHERE r.enterprise_id = {{.}}.id AND NOT {{.}}.workshop
        AND NOT EXISTS (SELECT 1 FROM resumption_day_stats s WHERE s.region_code = {{.}}.region_code AND s.day = r.day AND s.shard = 0);
    UPDATE resumption_day_stats SET reports = reports {{template "sign" .}} 1, payroll = payroll {{template "sign" .}} {{.}}.payroll,
        on_duty = on_duty {{template "sign" .}} (SELECT r.on_duty FROM daily_reports r WHERE r.enterprise_id = {{.}}.id AND r.day = resumption_day_stats.day)
        WHERE region_code = {{.}}.region_code AND shard = 0 AND NOT {{.}}.workshop AND day IN (SELECT r.day FROM daily_reports r WHERE r.enterprise_id = {{.}}.id);
{{end}}
{{- /* One daily report's share (SQLite). */ -}}
{{define "report"}}
    INSERT INTO resumption_day_stats (region_code, day) SELECT e.region_code, {{.}}.day FROM enterprises e WHERE e.id = {{.}}.enterprise_id AND NOT e.workshop
        AND NOT EXISTS (SELECT 1 FROM resumption_day_stats s WHERE s.region_code = e.region_code AND s.day = {{.}}.day AND s.shard = 0);
    UPDATE resumption_day_stats SET reports = reports {{template "sign" .}} 1, on_duty = on_duty {{template "sign" .}} {{.}}.on_duty,
        payroll = payroll {{template "sign" .}} (SELECT e.payroll FROM enterprises e WHERE e.id = {{.}}.enterprise_id)
        WHERE region_code = (SELECT e.region_code FROM enterprises e WHERE e.id = {{.}}.enterprise_id AND NOT e.workshop) AND day = {{.}}.day AND shard = 0;
{{end}}
{{if eq .Name "sqlite"}}
-- +goose StatementBegin
CREATE TRIGGER resumption_enterprise_insert AFTER INSERT ON enterprises
BEGIN{{template "enterprise" "NEW"}}END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER resumption_enterprise_delete AFTER DELETE ON enterprises
BEGIN{{template "enterprise" "OLD"}}END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER resumption_enterprise_update AFTER UPDATE OF region_code, workshop, status, status_date, resumed_on ON enterprises
WHEN OLD.region_code IS NOT NEW.region_code OR OLD.workshop IS NOT NEW.workshop OR OLD.status IS NOT NEW.status
    OR OLD.status_date IS NOT NEW.status_date OR OLD.resumed_on IS NOT NEW.resumed_on
BEGIN{{template "enterprise" "OLD"}}{{template "enterprise" "NEW"}}END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER resumption_enterprise_payroll AFTER UPDATE OF region_code, workshop, payroll ON enterprises
WHEN OLD.region_code IS NOT NEW.region_code OR OLD.workshop IS NOT NEW.workshop OR OLD.payroll IS NOT NEW.payroll
BEGIN{{template "enterprise_reports" "OLD"}}{{template "enterprise_reports" "NEW"}}END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER resumption_report_insert AFTER INSERT ON daily_reports
BEGIN{{template "report" "NEW"}}END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER resumption_report_delete AFTER DELETE ON daily_reports
BEGIN{{template "report" "OLD"}}END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER resumption_report_update AFTER UPDATE OF enterprise_id, day, on_duty ON daily_reports
WHEN OLD.enterprise_id IS NOT NEW.enterprise_id OR OLD.day IS NOT NEW.day OR OLD.on_duty IS NOT NEW.on_duty
BEGIN{{template "report" "OLD"}}{{template "report" "NEW"}}END;
-- +goose StatementEnd
{{else}}
-- +goose StatementBegin
CREATE FUNCTION resumption_add(r TEXT, d TEXT, n_enterprises INTEGER, n_resumed INTEGER, n_reports INTEGER, n_on_duty BIGINT, n_payroll BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO resumption_day_stats (region_code, day, shard, enterprises, resumed, reports, on_duty, payroll)
    VALUES (r, d, (txid_current() % 8)::integer, n_enterprises, n_resumed, n_reports, n_on_duty, n_payroll)
    ON CONFLICT (region_code, day, shard) DO UPDATE SET enterprises = resumption_day_stats.enterprises + excluded.enterprises,
        resumed = resumption_day_stats.resumed + excluded.resumed, reports = resumption_day_stats.reports + excluded.reports,
        on_duty = resumption_day_stats.on_duty + excluded.on_duty, payroll = resumption_day_stats.payroll + excluded.payroll
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION resumption_enterprise(e enterprises, s INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF e.workshop THEN
        RETURN;
    END IF;
    PERFORM resumption_add(e.region_code, '', s, 0, 0, 0, 0);
    IF {{template "counted" "e"}} THEN
        PERFORM resumption_add(e.region_code, e.resumed_on, 0, s, 0, 0, 0);
        IF e.status = '停产' AND e.status_date <> '' THEN
            PERFORM resumption_add(e.region_code, e.status_date, 0, -s, 0, 0, 0);
        END IF;
    END IF;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION resumption_enterprise_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM resumption_enterprise(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM resumption_enterprise(OLD, -1);
    ELSE
        IF (OLD.region_code, OLD.workshop, OLD.status, OLD.status_date, OLD.resumed_on) IS DISTINCT FROM
            (NEW.region_code, NEW.workshop, NEW.status, NEW.status_date, NEW.resumed_on) THEN
            PERFORM resumption_enterprise(OLD, -1);
            PERFORM resumption_enterprise(NEW, 1);
        END IF;
        IF (OLD.region_code, OLD.workshop, OLD.payroll) IS DISTINCT FROM (NEW.region_code, NEW.workshop, NEW.payroll) THEN
            IF NOT OLD.workshop THEN
                PERFORM resumption_add(OLD.region_code, r.day, 0, 0, -1, -r.on_duty, -OLD.payroll) FROM daily_reports r WHERE r.enterprise_id = OLD.id;
            END IF;
            IF NOT NEW.workshop THEN
                PERFORM resumption_add(NEW.region_code, r.day, 0, 0, 1, r.on_duty, NEW.payroll) FROM daily_reports r WHERE r.enterprise_id = NEW.id;
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER resumption_enterprise_kept AFTER INSERT OR UPDATE OR DELETE ON enterprises
    FOR EACH ROW EXECUTE FUNCTION resumption_enterprise_kept();
-- +goose StatementBegin
CREATE FUNCTION resumption_report_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.enterprise_id, OLD.day, OLD.on_duty) IS NOT DISTINCT FROM (NEW.enterprise_id, NEW.day, NEW.on_duty) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM resumption_add(e.region_code, OLD.day, 0, 0, -1, -OLD.on_duty, -e.payroll) FROM enterprises e WHERE e.id = OLD.enterprise_id AND NOT e.workshop;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM resumption_add(e.region_code, NEW.day, 0, 0, 1, NEW.on_duty, e.payroll) FROM enterprises e WHERE e.id = NEW.enterprise_id AND NOT e.workshop;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER resumption_report_kept AFTER INSERT OR UPDATE OR DELETE ON daily_reports
    FOR EACH ROW EXECUTE FUNCTION resumption_report_kept();
{{end}}
-- +goose Down
SELECT 1;
