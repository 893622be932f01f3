-- +goose Up
-- PostgreSQL keeps resumption_day_stats (00323) with statement-level triggers: each
-- statement's rows (its transition tables) are added up into one upsert per county and
-- day, instead of a function call and an upsert per row. The demo writes its county's
-- enterprises and daily reports in a few multi-row statements and the generator a
-- province's with COPY: the per-row triggers cost the demo about a fifth of its start on
-- PostgreSQL. SQLite has row triggers only and keeps 00323's.
{{if eq .Name "sqlite"}}
SELECT 1;
{{else}}
DROP TRIGGER resumption_enterprise_kept ON enterprises;
DROP TRIGGER resumption_report_kept ON daily_reports;
DROP FUNCTION resumption_enterprise_kept();
DROP FUNCTION resumption_report_kept();
DROP FUNCTION resumption_enterprise(enterprises, INTEGER);
DROP FUNCTION resumption_add(TEXT, TEXT, INTEGER, INTEGER, INTEGER, BIGINT, BIGINT);
-- +goose StatementBegin
CREATE FUNCTION resumption_enterprises_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resumption_day_stats (region_code, day, shard, enterprises, resumed, reports, on_duty, payroll)
    SELECT region_code, day, (txid_current() % 8)::integer, SUM(enterprises), SUM(resumed), SUM(reports), SUM(on_duty), SUM(payroll) FROM (
        SELECT e.region_code, '' AS day, 1 AS enterprises, 0 AS resumed, 0 AS reports, 0 AS on_duty, 0 AS payroll FROM new_rows e WHERE NOT e.workshop
        UNION ALL SELECT e.region_code, e.resumed_on, 0, 1, 0, 0, 0 FROM new_rows e WHERE NOT e.workshop AND e.resumed_on <> '' AND NOT (e.status = '停产' AND e.status_date <> '' AND e.status_date <= e.resumed_on)
        UNION ALL SELECT e.region_code, e.status_date, 0, -1, 0, 0, 0 FROM new_rows e WHERE NOT e.workshop AND e.resumed_on <> '' AND NOT (e.status = '停产' AND e.status_date <> '' AND e.status_date <= e.resumed_on) AND e.status = '停产' AND e.status_date <> ''
    ) t GROUP BY region_code, day
    HAVING SUM(enterprises) <> 0 OR SUM(resumed) <> 0 OR SUM(reports) <> 0 OR SUM(on_duty) <> 0 OR SUM(payroll) <> 0
    ON CONFLICT (region_code, day, shard) DO UPDATE SET enterprises = resumption_day_stats.enterprises + excluded.enterprises,
        resumed = resumption_day_stats.resumed + excluded.resumed, reports = resumption_day_stats.reports + excluded.reports,
        on_duty = resumption_day_stats.on_duty + excluded.on_duty, payroll = resumption_day_stats.payroll + excluded.payroll;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION resumption_enterprises_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resumption_day_stats (region_code, day, shard, enterprises, resumed, reports, on_duty, payroll)
    SELECT region_code, day, (txid_current() % 8)::integer, SUM(enterprises), SUM(resumed), SUM(reports), SUM(on_duty), SUM(payroll) FROM (
        SELECT e.region_code, '' AS day, -1 AS enterprises, 0 AS resumed, 0 AS reports, 0 AS on_duty, 0 AS payroll FROM old_rows e WHERE NOT e.workshop
        UNION ALL SELECT e.region_code, e.resumed_on, 0, -1, 0, 0, 0 FROM old_rows e WHERE NOT e.workshop AND e.resumed_on <> '' AND NOT (e.status = '停产' AND e.status_date <> '' AND e.status_date <= e.resumed_on)
        UNION ALL SELECT e.region_code, e.status_date, 0, 1, 0, 0, 0 FROM old_rows e WHERE NOT e.workshop AND e.resumed_on <> '' AND NOT (e.status = '停产' AND e.status_date <> '' AND e.status_date <= e.resumed_on) AND e.status = '停产' AND e.status_date <> ''
    ) t GROUP BY region_code, day
    HAVING SUM(enterprises) <> 0 OR SUM(resumed) <> 0 OR SUM(reports) <> 0 OR SUM(on_duty) <> 0 OR SUM(payroll) <> 0
    ON CONFLICT (region_code, day, shard) DO UPDATE SET enterprises = resumption_day_stats.enterprises + excluded.enterprises,
        resumed = resumption_day_stats.resumed + excluded.resumed, reports = resumption_day_stats.reports + excluded.reports,
        on_duty = resumption_day_stats.on_duty + excluded.on_duty, payroll = resumption_day_stats.payroll + excluded.payroll;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION resumption_enterprises_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resumption_day_stats (region_code, day, shard, enterprises, resumed, reports, on_duty, payroll)
    SELECT region_code, day, (txid_current() % 8)::integer, SUM(enterprises), SUM(resumed), SUM(reports), SUM(on_duty), SUM(payroll) FROM (
        SELECT e.region_code, '' AS day, -1 AS enterprises, 0 AS resumed, 0 AS reports, 0 AS on_duty, 0 AS payroll FROM old_rows e WHERE NOT e.workshop
        UNION ALL SELECT e.region_code, e.resumed_on, 0, -1, 0, 0, 0 FROM old_rows e WHERE NOT e.workshop AND e.resumed_on <> '' AND NOT (e.status = '停产' AND e.status_date <> '' AND e.status_date <= e.resumed_on)
        UNION ALL SELECT e.region_code, e.status_date, 0, 1, 0, 0, 0 FROM old_rows e WHERE NOT e.workshop AND e.resumed_on <> '' AND NOT (e.status = '停产' AND e.status_date <> '' AND e.status_date <= e.resumed_on) AND e.status = '停产' AND e.status_date <> ''
        UNION ALL
        SELECT e.region_code, '' AS day, 1 AS enterprises, 0 AS resumed, 0 AS reports, 0 AS on_duty, 0 AS payroll FROM new_rows e WHERE NOT e.workshop
        UNION ALL SELECT e.region_code, e.resumed_on, 0, 1, 0, 0, 0 FROM new_rows e WHERE NOT e.workshop AND e.resumed_on <> '' AND NOT (e.status = '停产' AND e.status_date <> '' AND e.status_date <= e.resumed_on)
        UNION ALL SELECT e.region_code, e.status_date, 0, -1, 0, 0, 0 FROM new_rows e WHERE NOT e.workshop AND e.resumed_on <> '' AND NOT (e.status = '停产' AND e.status_date <> '' AND e.status_date <= e.resumed_on) AND e.status = '停产' AND e.status_date <> ''
        UNION ALL
        SELECT e.region_code, r.day, 0 AS enterprises, 0 AS resumed, -1 AS reports, -1 * r.on_duty AS on_duty, -1 * e.payroll AS payroll FROM old_rows e JOIN new_rows o ON o.id = e.id
            JOIN daily_reports r ON r.enterprise_id = e.id
            WHERE NOT e.workshop AND (e.payroll, e.workshop, e.region_code) IS DISTINCT FROM (o.payroll, o.workshop, o.region_code)
        UNION ALL
        SELECT e.region_code, r.day, 0 AS enterprises, 0 AS resumed, 1 AS reports, 1 * r.on_duty AS on_duty, 1 * e.payroll AS payroll FROM new_rows e JOIN old_rows o ON o.id = e.id
            JOIN daily_reports r ON r.enterprise_id = e.id
            WHERE NOT e.workshop AND (e.payroll, e.workshop, e.region_code) IS DISTINCT FROM (o.payroll, o.workshop, o.region_code)
    ) t GROUP BY region_code, day
    HAVING SUM(enterprises) <> 0 OR SUM(resumed) <> 0 OR SUM(reports) <> 0 OR SUM(on_duty) <> 0 OR SUM(payroll) <> 0
    ON CONFLICT (region_code, day, shard) DO UPDATE SET enterprises = resumption_day_stats.enterprises + excluded.enterprises,
        resumed = resumption_day_stats.resumed + excluded.resumed, reports = resumption_day_stats.reports + excluded.reports,
        on_duty = resumption_day_stats.on_duty + excluded.on_duty, payroll = resumption_day_stats.payroll + excluded.payroll;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION resumption_reports_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resumption_day_stats (region_code, day, shard, enterprises, resumed, reports, on_duty, payroll)
    SELECT region_code, day, (txid_current() % 8)::integer, SUM(enterprises), SUM(resumed), SUM(reports), SUM(on_duty), SUM(payroll) FROM (
        SELECT e.region_code, r.day, 0 AS enterprises, 0 AS resumed, 1 AS reports, 1 * r.on_duty AS on_duty, 1 * e.payroll AS payroll FROM new_rows r JOIN enterprises e ON e.id = r.enterprise_id WHERE NOT e.workshop
    ) t GROUP BY region_code, day
    HAVING SUM(enterprises) <> 0 OR SUM(resumed) <> 0 OR SUM(reports) <> 0 OR SUM(on_duty) <> 0 OR SUM(payroll) <> 0
    ON CONFLICT (region_code, day, shard) DO UPDATE SET enterprises = resumption_day_stats.enterprises + excluded.enterprises,
        resumed = resumption_day_stats.resumed + excluded.resumed, reports = resumption_day_stats.reports + excluded.reports,
        on_duty = resumption_day_stats.on_duty + excluded.on_duty, payroll = resumption_day_stats.payroll + excluded.payroll;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION resumption_reports_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resumption_day_stats (region_code, day, shard, enterprises, resumed, reports, on_duty, payroll)
    SELECT region_code, day, (txid_current() % 8)::integer, SUM(enterprises), SUM(resumed), SUM(reports), SUM(on_duty), SUM(payroll) FROM (
        SELECT e.region_code, r.day, 0 AS enterprises, 0 AS resumed, -1 AS reports, -1 * r.on_duty AS on_duty, -1 * e.payroll AS payroll FROM old_rows r JOIN enterprises e ON e.id = r.enterprise_id WHERE NOT e.workshop
    ) t GROUP BY region_code, day
    HAVING SUM(enterprises) <> 0 OR SUM(resumed) <> 0 OR SUM(reports) <> 0 OR SUM(on_duty) <> 0 OR SUM(payroll) <> 0
    ON CONFLICT (region_code, day, shard) DO UPDATE SET enterprises = resumption_day_stats.enterprises + excluded.enterprises,
        resumed = resumption_day_stats.resumed + excluded.resumed, reports = resumption_day_stats.reports + excluded.reports,
        on_duty = resumption_day_stats.on_duty + excluded.on_duty, payroll = resumption_day_stats.payroll + excluded.payroll;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION resumption_reports_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resumption_day_stats (region_code, day, shard, enterprises, resumed, reports, on_duty, payroll)
    SELECT region_code, day, (txid_current() % 8)::integer, SUM(enterprises), SUM(resumed), SUM(reports), SUM(on_duty), SUM(payroll) FROM (
        SELECT e.region_code, r.day, 0 AS enterprises, 0 AS resumed, -1 AS reports, -1 * r.on_duty AS on_duty, -1 * e.payroll AS payroll FROM old_rows r JOIN enterprises e ON e.id = r.enterprise_id WHERE NOT e.workshop
        UNION ALL
        SELECT e.region_code, r.day, 0 AS enterprises, 0 AS resumed, 1 AS reports, 1 * r.on_duty AS on_duty, 1 * e.payroll AS payroll FROM new_rows r JOIN enterprises e ON e.id = r.enterprise_id WHERE NOT e.workshop
    ) t GROUP BY region_code, day
    HAVING SUM(enterprises) <> 0 OR SUM(resumed) <> 0 OR SUM(reports) <> 0 OR SUM(on_duty) <> 0 OR SUM(payroll) <> 0
    ON CONFLICT (region_code, day, shard) DO UPDATE SET enterprises = resumption_day_stats.enterprises + excluded.enterprises,
        resumed = resumption_day_stats.resumed + excluded.resumed, reports = resumption_day_stats.reports + excluded.reports,
        on_duty = resumption_day_stats.on_duty + excluded.on_duty, payroll = resumption_day_stats.payroll + excluded.payroll;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER resumption_enterprises_inserted AFTER INSERT ON enterprises REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resumption_enterprises_inserted();
CREATE TRIGGER resumption_enterprises_deleted AFTER DELETE ON enterprises REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resumption_enterprises_deleted();
CREATE TRIGGER resumption_enterprises_updated AFTER UPDATE ON enterprises REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resumption_enterprises_updated();
CREATE TRIGGER resumption_reports_inserted AFTER INSERT ON daily_reports REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resumption_reports_inserted();
CREATE TRIGGER resumption_reports_deleted AFTER DELETE ON daily_reports REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resumption_reports_deleted();
CREATE TRIGGER resumption_reports_updated AFTER UPDATE ON daily_reports REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION resumption_reports_updated();
{{end}}
-- +goose Down
SELECT 1;
