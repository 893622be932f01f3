-- +goose Up
-- The demand figures of each county, day and group, kept in the transaction of every
-- write that changes them (intake adds one upsert per batch, a step applies its change),
-- so that the county's figures and a province's read a few hundred rows instead of every
-- demand. dim is the dimension the group belongs to (category, township, liaison,
-- department: a demand counts once in each of its groups; dispatched counts once each
-- demand dispatched to any department); grp is the group's key. shard
-- spreads the rows that concurrent writers update (PostgreSQL's four group writers each
-- have their own) so that they never wait for each other's row locks; readers add the
-- shards up. Each column counts what fugong.DemandFigures counts, except the same-day
-- due count, which depends on the hour: it is total for a day that is over, same_day_met
-- otherwise.
CREATE TABLE demand_day_stats (
    region_code       TEXT NOT NULL,
    dim               TEXT NOT NULL,
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
    PRIMARY KEY (region_code, dim, day, grp, shard)
);
-- A province or a city reads one dimension of a few days over many counties.
CREATE INDEX demand_day_stats_day ON demand_day_stats (dim, day, region_code);

-- The demands already there.
INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, total, responded, responded_on_time, same_day_met, solved, solved_on_time,
    on_site, late, escalated, rated, rating_sum, satisfied)
SELECT d.region_code, 'category', d.day, d.category, 0, COUNT(*),
    SUM(CASE WHEN d.responded_at <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.responded_at <> 0 AND d.responded_at <= d.response_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.owned_at <> 0 AND d.owned_at <= d.same_day_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.on_site THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.response_late OR d.same_day_late OR d.solution_late THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.level IN ('command', 'department', 'leader') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN d.rating ELSE 0 END),
    SUM(CASE WHEN d.rating >= 4 THEN 1 ELSE 0 END)
FROM demands d
GROUP BY d.region_code, d.day, d.category;

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, total, responded, responded_on_time, same_day_met, solved, solved_on_time,
    on_site, late, escalated, rated, rating_sum, satisfied)
SELECT d.region_code, 'township', d.day, d.township, 0, COUNT(*),
    SUM(CASE WHEN d.responded_at <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.responded_at <> 0 AND d.responded_at <= d.response_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.owned_at <> 0 AND d.owned_at <= d.same_day_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.on_site THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.response_late OR d.same_day_late OR d.solution_late THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.level IN ('command', 'department', 'leader') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN d.rating ELSE 0 END),
    SUM(CASE WHEN d.rating >= 4 THEN 1 ELSE 0 END)
FROM demands d
GROUP BY d.region_code, d.day, d.township;

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, total, responded, responded_on_time, same_day_met, solved, solved_on_time,
    on_site, late, escalated, rated, rating_sum, satisfied)
SELECT d.region_code, 'liaison', d.day, CAST(d.liaison_id AS TEXT), 0, COUNT(*),
    SUM(CASE WHEN d.responded_at <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.responded_at <> 0 AND d.responded_at <= d.response_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.owned_at <> 0 AND d.owned_at <= d.same_day_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.on_site THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.response_late OR d.same_day_late OR d.solution_late THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.level IN ('command', 'department', 'leader') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN d.rating ELSE 0 END),
    SUM(CASE WHEN d.rating >= 4 THEN 1 ELSE 0 END)
FROM demands d
GROUP BY d.region_code, d.day, CAST(d.liaison_id AS TEXT);

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, total, responded, responded_on_time, same_day_met, solved, solved_on_time,
    on_site, late, escalated, rated, rating_sum, satisfied)
SELECT d.region_code, 'department', d.day, CAST(g.org_unit_id AS TEXT), 0, COUNT(*),
    SUM(CASE WHEN d.responded_at <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.responded_at <> 0 AND d.responded_at <= d.response_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.owned_at <> 0 AND d.owned_at <= d.same_day_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.on_site THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.response_late OR d.same_day_late OR d.solution_late THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.level IN ('command', 'department', 'leader') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN d.rating ELSE 0 END),
    SUM(CASE WHEN d.rating >= 4 THEN 1 ELSE 0 END)
FROM demands d JOIN demand_assignments g ON g.demand_id = d.id
GROUP BY d.region_code, d.day, CAST(g.org_unit_id AS TEXT);

INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, total, responded, responded_on_time, same_day_met, solved, solved_on_time,
    on_site, late, escalated, rated, rating_sum, satisfied)
SELECT d.region_code, 'dispatched', d.day, '', 0, COUNT(*),
    SUM(CASE WHEN d.responded_at <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.responded_at <> 0 AND d.responded_at <= d.response_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.owned_at <> 0 AND d.owned_at <= d.same_day_due THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.solution_over <= 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.solved_at <> 0 AND d.state IN ('solved', 'confirmed', 'closed') AND d.on_site THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.response_late OR d.same_day_late OR d.solution_late THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.level IN ('command', 'department', 'leader') THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN d.rating > 0 THEN d.rating ELSE 0 END),
    SUM(CASE WHEN d.rating >= 4 THEN 1 ELSE 0 END)
FROM demands d WHERE d.id IN (SELECT demand_id FROM demand_assignments)
GROUP BY d.region_code, d.day;
-- +goose Down
DROP TABLE demand_day_stats;
