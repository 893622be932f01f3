package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"time"

	"fugong"
)

// Settings of the power-based resumption index (电力复工指数).
const (
	// SettingPowerShare is the percent of the baseline above which an enterprise counts as
	// working (default 30).
	SettingPowerShare = "power.share"
	// SettingPowerBaseline is the month whose daily average is the baseline (default
	// 2019-12, the last normal month before the 2020 epidemic).
	SettingPowerBaseline = "power.baseline_month"
)

// ImportPower writes the grid company's readings and any baselines given in the sheet in
// one transaction: a reading of the same enterprise and day replaces the one kept.
func (db *DB) ImportPower(ctx context.Context, sc fugong.Scope, uses []fugong.PowerUse, baselines map[int64]int64) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for _, u := range uses {
			if _, err := tx.ExecContext(ctx, `INSERT INTO power_uses (region_code, enterprise_id, day, wh) VALUES ($1, $2, $3, $4)
				ON CONFLICT (enterprise_id, day, region_code) DO UPDATE SET wh = excluded.wh`, sc.County, u.EnterpriseID, u.Day, u.Wh); err != nil {
				return fmt.Errorf("import power use: %w", err)
			}
		}
		for id, wh := range baselines {
			if _, err := tx.ExecContext(ctx, `INSERT INTO power_baselines (enterprise_id, region_code, wh) VALUES ($1, $2, $3)
				ON CONFLICT (`+db.Dialect.CountyKey("enterprise_id")+`) DO UPDATE SET wh = excluded.wh`, id, sc.County, wh); err != nil {
				return fmt.Errorf("import power baseline: %w", err)
			}
		}
		return db.Audit(ctx, tx, sc.County, "import", "power_uses", "", nil, map[string]int{"readings": len(uses), "baselines": len(baselines)})
	})
}

// PowerSettings reads the county's share and baseline month.
func (db *DB) PowerSettings(ctx context.Context, county string) (share int, month string, err error) {
	s, err := db.Setting(ctx, county, SettingPowerShare, "30")
	if err != nil {
		return 0, "", err
	}
	if share, err = strconv.Atoi(s); err != nil || share <= 0 || share >= 100 {
		share = 30
	}
	month, err = db.Setting(ctx, county, SettingPowerBaseline, "2019-12")
	return share, month, err
}

// PowerBaselines are the baseline daily use of each enterprise in scope, in Wh: the
// sheet's own baseline where given, else the average of the readings of the baseline month.
func (db *DB) PowerBaselines(ctx context.Context, sc fugong.Scope, month string) (map[int64]int64, error) {
	first, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, fmt.Errorf("power baseline month %q: %w", month, err)
	}
	last := first.AddDate(0, 1, -1)
	out := map[int64]int64{}
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT u.enterprise_id, SUM(u.wh), COUNT(*) FROM power_uses u WHERE `+
		EnterpriseIDScope(sc, "u.enterprise_id", "u.region_code", &a)+` AND u.day >= `+a.add(first.Format(time.DateOnly))+
		` AND u.day <= `+a.add(last.Format(time.DateOnly))+` GROUP BY u.enterprise_id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("power baselines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, sum, n int64
		if err := rows.Scan(&id, &sum, &n); err != nil {
			return nil, err
		}
		out[id] = (sum + n/2) / n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var b args
	given, err := db.R.QueryContext(ctx, `SELECT b.enterprise_id, b.wh FROM power_baselines b WHERE `+
		EnterpriseIDScope(sc, "b.enterprise_id", "b.region_code", &b), b.vals...)
	if err != nil {
		return nil, fmt.Errorf("power baselines given: %w", err)
	}
	defer given.Close()
	for given.Next() {
		var id, wh int64
		if err := given.Scan(&id, &wh); err != nil {
			return nil, err
		}
		out[id] = wh
	}
	return out, given.Err()
}

// PowerIndex compares declared resumption with the meters on day (fugong.PowerIndex).
func (db *DB) PowerIndex(ctx context.Context, sc fugong.Scope, day string) (fugong.PowerIndex, error) {
	share, month, err := db.PowerSettings(ctx, sc.County)
	if err != nil {
		return fugong.PowerIndex{}, err
	}
	out := fugong.PowerIndex{Day: day, Share: share, Idle: []fugong.PowerIdle{}}
	base, err := db.PowerBaselines(ctx, sc, month)
	if err != nil || len(base) == 0 {
		return out, err
	}
	var a args
	d := a.add(day)
	rows, err := db.R.QueryContext(ctx, `SELECT e.id, e.name, e.township, u.wh,
		CASE WHEN e.resumed_on <> '' AND e.resumed_on <= `+d+` AND NOT (e.status = '`+fugong.StatusStopped+`' AND e.status_date <= `+d+`) THEN 1 ELSE 0 END
		FROM power_uses u JOIN enterprises e ON e.id = u.enterprise_id WHERE u.day = `+d+` AND `+EnterpriseScope(sc, "e", &a), a.vals...)
	if err != nil {
		return out, fmt.Errorf("power index: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p fugong.PowerIdle
		var declared int
		if err := rows.Scan(&p.EnterpriseID, &p.Name, &p.Township, &p.Wh, &declared); err != nil {
			return out, err
		}
		p.BaselineWh = base[p.EnterpriseID]
		if p.BaselineWh <= 0 {
			continue
		}
		out.Measured++
		out.Wh += p.Wh
		out.BaselineWh += p.BaselineWh
		if fugong.PowerWorking(p.Wh, p.BaselineWh, share) {
			out.Working++
		} else if declared == 1 {
			out.Idle = append(out.Idle, p)
		}
	}
	sort.Slice(out.Idle, func(i, j int) bool { return out.Idle[i].EnterpriseID < out.Idle[j].EnterpriseID })
	return out, rows.Err()
}

// powerPanel shows the power-based indices beside the declared resumption rate.
func powerPanel(ctx context.Context, db *DB, sc fugong.Scope, _ string, d *fugong.Dashboard) error {
	p, err := db.PowerIndex(ctx, sc, d.Day)
	if err != nil {
		return err
	}
	href := "/power?date=" + d.Day
	d.Panels = append(d.Panels, fugong.Panel{Key: "power", Figures: []fugong.Figure{
		count("power.measured", p.Measured, href),
		count("power.working", p.Working, href),
		pctOf("power.resumption_index", p.Working, p.Measured, href),
		{Key: "power.production_index", Value: p.ProductionIndex(), Unit: fugong.UnitPercent, Href: href, None: p.BaselineWh <= 0},
		count("power.idle", len(p.Idle), href+"#idle"),
	}})
	return nil
}

// EnterpriseIDsByUSCC maps the credit codes of the enterprises in scope to their ids, for
// matching an import's rows.
func (db *DB) EnterpriseIDsByUSCC(ctx context.Context, sc fugong.Scope) (map[string]int64, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT e.uscc, e.id FROM enterprises e WHERE `+EnterpriseScope(sc, "e", &a), a.vals...)
	if err != nil {
		return nil, fmt.Errorf("enterprise codes: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, err
		}
		out[code] = id
	}
	return out, rows.Err()
}
