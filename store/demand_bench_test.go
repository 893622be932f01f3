package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fugong"
	"fugong/store"
	"fugong/store/storetest"
)

// BenchmarkDemandRows is the database's own limit for the rows one demand intake writes —
// the demand, its timeline line, its audit line (about 1.5 kB of JSON), its clock job and
// its in-app notification — on statements prepared once, with no HTTP, no JSON decoding,
// no scope and no group commit in the way: one transaction per demand (one connection,
// and on PostgreSQL also eight), 100 demands per transaction, and 100 demands per
// transaction written as one multi-row INSERT per table (tx100rows, SQLite's parameters
// anonymous). SQLite runs as fugong runs it: WAL, synchronous=FULL. It reports demands per second; BENCHMARKS.md quotes
// fugong's intake as a share of it.
func BenchmarkDemandRows(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		for _, v := range []struct {
			name       string
			perTx, par int
		}{{"tx1", 1, 1}, {"tx1x8", 1, 8}, {"tx100", 100, 1}, {"tx100rows", 100, 1}} {
			if v.par > 1 && d == "sqlite" {
				continue // one writer: parallel transactions only queue
			}
			b.Run(d+"/"+v.name, func(b *testing.B) {
				db := storetest.Open(b, d, fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)))
				if v.name == "tx100rows" {
					benchDemandRowsMulti(b, db)
					return
				}
				benchDemandRows(b, db, v.perTx, v.par)
			})
		}
	}
}

var demandRowStmts = []string{
	`INSERT INTO demands (region_code, number, enterprise_id, township, liaison_id, category, description, quantity, unit, fields,
		urgency, channel, raised_by, raised_by_name, state, level, on_site, day, received_at, response_due, same_day_due, solution_due,
		responded_at, owned_at, solved_at, confirmed_at, closed_at, response_minutes, response_over, same_day_over, solution_minutes, solution_over,
		rating, comment, demo, updated_at, response_late, same_day_late, solution_late, warned, urge_count, urged_at, paused_ms, action_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
		$23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44) RETURNING id`,
	`INSERT INTO demand_events (region_code, demand_id, at, user_id, username, action, from_state, to_state, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
	`INSERT INTO audit_log (region_code, at, user_id, username, ip, action, entity, entity_id, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
	`INSERT INTO jobs (region_code, kind, payload, run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
	`INSERT INTO notifications (region_code, channel, recipient, user_id, subject, body, entity, entity_id, next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
}

func benchDemandRows(b *testing.B, db *store.DB, perTx, par int) {
	ctx := context.Background()
	const county = "439999"
	ent := benchCountyEnterprise(b, db, county)
	stmts := make([]*sql.Stmt, len(demandRowStmts))
	for i, q := range demandRowStmts {
		st, err := db.W.PrepareContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		stmts[i] = st
	}
	desc, after, now := benchDemandText()
	one := func(tx *sql.Tx, n int64) error {
		number := fmt.Sprintf("SQ-20200309-%07d", n)
		var id int64
		if err := tx.StmtContext(ctx, stmts[0]).QueryRowContext(ctx, county, number, ent, county, int64(0), "supplies", desc, int64(300), "个", `{"item":"口罩"}`,
			"normal", "api", int64(1), "企业联系人", "received", "township", false, "2020-03-09", now, now+3600_000, now+16*3600_000, now+24*3600_000,
			0, 0, 0, 0, 0, -1, 0, 0, -1, 0, 0, "", false, now, false, false, false, 0, 0, 0, 0, int64(0)).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.StmtContext(ctx, stmts[1]).ExecContext(ctx, county, id, now, int64(1), "enterprise001", "create", "", "received", desc); err != nil {
			return err
		}
		if _, err := tx.StmtContext(ctx, stmts[2]).ExecContext(ctx, county, now, int64(1), "enterprise001", "127.0.0.1", "create", "demands", fmt.Sprint(id), "", after); err != nil {
			return err
		}
		if _, err := tx.StmtContext(ctx, stmts[3]).ExecContext(ctx, county, "demand.clock", fmt.Sprint(id), now+3600_000, now); err != nil {
			return err
		}
		var nid int64
		return tx.StmtContext(ctx, stmts[4]).QueryRowContext(ctx, county, "inapp", "", int64(2), "诉求 "+number, "新诉求 "+desc, "demands", fmt.Sprint(id), now).Scan(&nid)
	}
	var seq atomic.Int64
	txs := (b.N + perTx - 1) / perTx
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, par)
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(txs) {
				err := db.WithTx(ctx, func(tx *sql.Tx) error {
					for i := 0; i < perTx; i++ {
						if err := one(tx, seq.Add(1)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	b.ReportMetric(float64(seq.Load())/elapsed.Seconds(), "demands/s")
}

// benchDemandRowsMulti writes the same rows as benchDemandRows, 100 demands per
// transaction, each table's 100 rows in one multi-row INSERT prepared once.
func benchDemandRowsMulti(b *testing.B, db *store.DB) {
	ctx := context.Background()
	const county, per = "439999", 100
	ent := benchCountyEnterprise(b, db, county)
	anon := db.Dialect.Name == "sqlite"
	multi := func(q string, n int) string {
		head, tuple, _ := strings.Cut(q, "VALUES")
		tuple, tail, _ := strings.Cut(tuple, ")")
		ncol := strings.Count(tuple, "$")
		var sb strings.Builder
		sb.WriteString(head + "VALUES ")
		for r := 0; r < n; r++ {
			if r > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('(')
			for c := 0; c < ncol; c++ {
				if c > 0 {
					sb.WriteString(", ")
				}
				if anon {
					sb.WriteString("?")
				} else {
					fmt.Fprintf(&sb, "$%d", r*ncol+c+1)
				}
			}
			sb.WriteByte(')')
		}
		sb.WriteString(tail)
		return sb.String()
	}
	stmts := make([]*sql.Stmt, len(demandRowStmts))
	for i, q := range demandRowStmts {
		q = strings.Replace(q, "$5, $5)", "$5, $6)", 1)  // jobs: created_at, updated_at
		q = strings.Replace(q, "$9, $9)", "$9, $10)", 1) // notifications: next_at, created_at
		st, err := db.W.PrepareContext(ctx, multi(q, per))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		stmts[i] = st
	}
	desc, after, now := benchDemandText()
	var seq int64
	b.ResetTimer()
	start := time.Now()
	for done := 0; done < b.N; done += per {
		err := db.WithTx(ctx, func(tx *sql.Tx) error {
			var vals []any
			for i := 0; i < per; i++ {
				seq++
				vals = append(vals, county, fmt.Sprintf("SQ-20200309-%07d", seq), ent, county, int64(0), "supplies", desc, int64(300), "个", `{"item":"口罩"}`,
					"normal", "api", int64(1), "企业联系人", "received", "township", false, "2020-03-09", now, now+3600_000, now+16*3600_000, now+24*3600_000,
					0, 0, 0, 0, 0, -1, 0, 0, -1, 0, 0, "", false, now, false, false, false, 0, 0, 0, 0, int64(0))
			}
			rows, err := tx.StmtContext(ctx, stmts[0]).QueryContext(ctx, vals...)
			if err != nil {
				return err
			}
			var ids []int64
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				ids = append(ids, id)
			}
			rows.Close()
			table := [][]any{nil, nil, nil, nil}
			for _, id := range ids {
				table[0] = append(table[0], county, id, now, int64(1), "enterprise001", "create", "", "received", desc)
				table[1] = append(table[1], county, now, int64(1), "enterprise001", "127.0.0.1", "create", "demands", fmt.Sprint(id), "", after)
				table[2] = append(table[2], county, "demand.clock", fmt.Sprint(id), now+3600_000, now, now)
				table[3] = append(table[3], county, "inapp", "", int64(2), "诉求", "新诉求 "+desc, "demands", fmt.Sprint(id), now, now)
			}
			for i, v := range table {
				if _, err := tx.StmtContext(ctx, stmts[i+1]).ExecContext(ctx, v...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(seq)/time.Since(start).Seconds(), "demands/s")
}

// benchCountyEnterprise makes the benchmark's county and its one enterprise.
func benchCountyEnterprise(b *testing.B, db *store.DB, county string) int64 {
	ctx := context.Background()
	if _, err := db.W.ExecContext(ctx, `INSERT INTO regions (code, region_code, name, parent_code, level) VALUES ($1, $1, '基准县', '430000', $2)`, county, fugong.LevelCounty); err != nil {
		b.Fatal(err)
	}
	var ent int64
	if err := db.W.QueryRowContext(ctx, `INSERT INTO enterprises (region_code, name, uscc, township, focus_area, above_scale, workshop, payroll, status, status_date, resumed_on, created_at, updated_at)
		VALUES ($1, '基准企业有限公司', '91439999MA4L000000', $1, $2, FALSE, FALSE, 100, $3, '', '', 0, 0) RETURNING id`, county, fugong.FocusAreas[0], fugong.StatusResumed).Scan(&ent); err != nil {
		b.Fatal(err)
	}
	return ent
}

// benchDemandText is a demand's description, its audit line's JSON (about 1.5 kB) and
// the time of day the benchmark writes at.
func benchDemandText() (desc, after string, now int64) {
	desc = "员工按照70%到岗率计算，大概需要300个口罩，目前企业口罩存量能够支持5天左右，希望政府能够解决这个燃眉之急。"
	after = `{"id":1,"county":"439999","number":"SQ-20200309-0001","description":"` + desc + `",` + strings.Repeat(`"field":"value",`, 60) + `"version":1}`
	return desc, after, time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC).UnixMilli()
}
