-- +goose Up
-- The minutes demands took to be responded to and to be solved, kept as histograms per
-- county, day and group (dim 'all' with grp '', and 'category'), so that a province's
-- medians are read from a few rows per county and day instead of its two million demands
-- (issue 23; store/demand_minutes.go holds the buckets and keeps them on every write).
-- Clustered on the key every reader asks by, like demand_day_stats (00323); on
-- PostgreSQL each writer adds to its own shard, as there.
CREATE TABLE demand_day_minutes (
    dim         TEXT NOT NULL,
    region_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    grp         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    bucket      INTEGER NOT NULL,
    shard       INTEGER NOT NULL DEFAULT 0,
    n           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, region_code, day, grp, kind, bucket, shard)
){{if eq .Name "sqlite"}} WITHOUT ROWID{{end}};
-- Each group has a row per day and one of all its days (day ''), which the figures over
-- all days read.
{{range $g := .MinuteGroups}}{{range $k := $.MinuteKinds}}
INSERT INTO demand_day_minutes (region_code, dim, day, grp, kind, bucket, shard, n)
SELECT d.region_code, '{{$g.Dim}}', d.day, {{$g.Grp}}, '{{$k.Kind}}', {{$.MinuteBucketSQL $k.Col}}, 0, COUNT(*) FROM demands d
WHERE {{$k.When}} GROUP BY d.region_code, d.day{{$g.GroupBy}}, {{$.MinuteBucketSQL $k.Col}};
INSERT INTO demand_day_minutes (region_code, dim, day, grp, kind, bucket, shard, n)
SELECT d.region_code, '{{$g.Dim}}', '', {{$g.Grp}}, '{{$k.Kind}}', {{$.MinuteBucketSQL $k.Col}}, 0, COUNT(*) FROM demands d
WHERE {{$k.When}} GROUP BY d.region_code{{$g.GroupBy}}, {{$.MinuteBucketSQL $k.Col}};
{{end}}{{end}}
-- +goose Down
DROP TABLE demand_day_minutes;
