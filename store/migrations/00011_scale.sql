-- +goose Up
-- Indexes for the figures at province scale (issue 10), each read instead of its table:
-- the county's enterprise list in the order it is shown (by id), so that a page is cut
-- from the index rather than from every enterprise of the county sorted;
CREATE INDEX enterprises_county_id ON enterprises (region_code, id);
-- the resumption figures, grouped in this order, with what they count;
CREATE INDEX enterprises_stats ON enterprises (region_code, workshop, township, focus_area, above_scale, resumed_on, status, status_date, payroll);
-- the day's report of each enterprise with its workers on duty.
CREATE INDEX daily_reports_duty ON daily_reports (enterprise_id, day, on_duty);

-- +goose Down
DROP INDEX daily_reports_duty;
DROP INDEX enterprises_stats;
DROP INDEX enterprises_county_id;
