-- +goose Up
-- Every demand counted once per county and day (dim 'all', grp ''): the whole, by day and
-- by county read these rows, a tenth of the categories' (a province's figures over its
-- hundred counties read 2,800 rows for four weeks instead of 22,400).
INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, total, responded, responded_on_time, same_day_met, solved, solved_on_time,
    on_site, late, escalated, rated, rating_sum, satisfied)
SELECT d.region_code, 'all', d.day, '', 0, COUNT(*),
    SUM(CASE WHEN d.responded_at <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.responded_at <> 0 AND d.responded_at <= d.response_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.owned_at <> 0 AND d.owned_at <= d.same_day_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0 AND d.reopens = 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.on_site THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.response_late OR d.same_day_late OR d.solution_late THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.level IN ('command', 'department', 'leader') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN d.rating ELSE 0 END),
    SUM(CASE WHEN d.rating >= 4 THEN 1 ELSE 0 END)
FROM demands d
GROUP BY d.region_code, d.day;
-- +goose Down
DELETE FROM demand_day_stats WHERE dim = 'all';
