-- +goose Up
-- A demand reopened by its enterprise is no longer solved on time (00018); 00023 counted
-- the reopened demands that were solved again within their time as on time. Take them out.

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, solved_on_time)
SELECT d.region_code, 'category', d.day, d.category, 0, -COUNT(*) FROM demands d
WHERE d.reopens > 0 AND d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0
GROUP BY d.region_code, d.day, d.category
ON CONFLICT (region_code, dim, day, grp, shard) DO UPDATE SET solved_on_time = demand_day_stats.solved_on_time + excluded.solved_on_time;

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, solved_on_time)
SELECT d.region_code, 'township', d.day, d.township, 0, -COUNT(*) FROM demands d
WHERE d.reopens > 0 AND d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0
GROUP BY d.region_code, d.day, d.township
ON CONFLICT (region_code, dim, day, grp, shard) DO UPDATE SET solved_on_time = demand_day_stats.solved_on_time + excluded.solved_on_time;

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, solved_on_time)
SELECT d.region_code, 'liaison', d.day, CAST(d.liaison_id AS TEXT), 0, -COUNT(*) FROM demands d
WHERE d.reopens > 0 AND d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0
GROUP BY d.region_code, d.day, CAST(d.liaison_id AS TEXT)
ON CONFLICT (region_code, dim, day, grp, shard) DO UPDATE SET solved_on_time = demand_day_stats.solved_on_time + excluded.solved_on_time;

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, solved_on_time)
SELECT d.region_code, 'department', d.day, CAST(g.org_unit_id AS TEXT), 0, -COUNT(*) FROM demands d JOIN demand_assignments g ON g.demand_id = d.id
WHERE d.reopens > 0 AND d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0
GROUP BY d.region_code, d.day, CAST(g.org_unit_id AS TEXT)
ON CONFLICT (region_code, dim, day, grp, shard) DO UPDATE SET solved_on_time = demand_day_stats.solved_on_time + excluded.solved_on_time;

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, solved_on_time)
SELECT d.region_code, 'dispatched', d.day, '', 0, -COUNT(*) FROM demands d
WHERE d.reopens > 0 AND d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0 AND d.id IN (SELECT demand_id FROM demand_assignments)
GROUP BY d.region_code, d.day
ON CONFLICT (region_code, dim, day, grp, shard) DO UPDATE SET solved_on_time = demand_day_stats.solved_on_time + excluded.solved_on_time;

-- +goose Down
SELECT 1;
