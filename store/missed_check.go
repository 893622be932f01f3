package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"fugong"
)

// JobMissedChecks is the job that, at the county's missed-check hour, alerts for every
// worker in isolation and every person screened at home whose reading of the day is
// missing, then schedules the next evening.
const JobMissedChecks = "health.missed_checks"

// SettingMissedCheckHour is the local hour the day's missing checks are looked for
// (default fugong.DefaultMissedCheckHour).
const SettingMissedCheckHour = "health.missed_check_hour"

// Kinds of missed_checks rows.
const (
	missedWorker    = "worker"
	missedScreening = "screening"
)

// counties lists the counties that have accounts: the ones whose evening jobs run.
func (db *DB) counties(ctx context.Context) ([]string, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT DISTINCT region_code FROM users`)
	if err != nil {
		return nil, fmt.Errorf("counties: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// scheduleOnce enqueues county's job of kind at the local hour after now, unless one of
// that kind waits already.
func (db *DB) scheduleOnce(ctx context.Context, county, kind string, now time.Time, hourSetting string, defaultHour int) error {
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE region_code = $1 AND kind = $2 AND state = 'ready'`, county, kind).Scan(&n); err != nil {
		return fmt.Errorf("%s jobs: %w", kind, err)
	}
	if n > 0 {
		return nil
	}
	hour, err := db.intSetting(ctx, county, hourSetting, defaultHour)
	if err != nil {
		return err
	}
	return db.EnqueueJob(ctx, db.W, county, kind, "", fugong.NextEvening(now, db.loc(), hour))
}

// ScheduleMissedChecks makes sure each county has its next missed-check job waiting.
func (db *DB) ScheduleMissedChecks(ctx context.Context, now time.Time) error {
	cs, err := db.counties(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := db.scheduleOnce(ctx, c, JobMissedChecks, now, SettingMissedCheckHour, fugong.DefaultMissedCheckHour); err != nil {
			return err
		}
	}
	return nil
}

// RunMissedChecks alerts, for the day of at, every missing reading of county: a worker
// in isolation goes to whoever answers for them as a fever does (the enterprise, its
// liaison, the township, command); a person screened at home to the village cadres, the
// township and command. Each person and day alerts once (missed_checks), so a job run
// twice after a crash tells nobody twice. It reports how many alerted, and schedules the
// next evening.
func (h *Health) RunMissedChecks(ctx context.Context, county string, at time.Time) (int, error) {
	db := h.DB
	day := fugong.Day(at, db.loc())
	n := 0
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		var ws []fugong.Worker
		// The isolation's start is sealed with the health record: fugong.OwesIsolationCheck
		// reads it once opened.
		rows, err := tx.QueryContext(ctx, `SELECT `+workerCols+` FROM workers w WHERE w.region_code = $1 AND w.status = $2
			AND NOT EXISTS (SELECT 1 FROM worker_checks c WHERE c.worker_id = w.id AND c.day = $3) ORDER BY w.id`, county, fugong.WorkerIsolating, day)
		if err != nil {
			return fmt.Errorf("isolated workers: %w", err)
		}
		for rows.Next() {
			var w fugong.Worker
			if err := scanWorker(h.Keys, rows, &w); err != nil {
				rows.Close()
				return err
			}
			ws = append(ws, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, w := range ws {
			if !fugong.OwesIsolationCheck(w, day) {
				continue
			}
			first, err := db.markMissed(ctx, tx, county, missedWorker, w.ID, day)
			if err != nil {
				return err
			}
			if !first {
				continue
			}
			if err := h.alert(ctx, tx, w, fugong.Alert{Day: day, Source: fugong.SourceMissed}); err != nil {
				return err
			}
			n++
		}
		ss, err := db.screeningsOwing(ctx, tx, county, day)
		if err != nil {
			return err
		}
		for _, s := range ss {
			first, err := db.markMissed(ctx, tx, county, missedScreening, s.ID, day)
			if err != nil {
				return err
			}
			if !first {
				continue
			}
			if err := h.alertScreening(ctx, tx, s, h.text("screening.n.missed_subject"), h.text("screening.n.missed", day)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, db.scheduleOnce(ctx, county, JobMissedChecks, at, SettingMissedCheckHour, fugong.DefaultMissedCheckHour)
}

// markMissed records that subject missed day's check; it reports false when that was
// known (and alerted) already.
func (db *DB) markMissed(ctx context.Context, q Querier, county, kind string, id int64, day string) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO missed_checks (region_code, kind, subject_id, day, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		county, kind, id, day, db.now())
	if err != nil {
		return false, fmt.Errorf("missed check: %w", err)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// screeningsOwing lists the county's people screened at home who owe a reading on day
// (fugong.Screening.OwesCheck) and have none.
func (db *DB) screeningsOwing(ctx context.Context, q Querier, county, day string) ([]fugong.Screening, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.village, s.name, s.returned_on, s.day FROM screenings s WHERE s.region_code = $1 AND s.day < $2 AND s.returned_on > $3
		AND NOT EXISTS (SELECT 1 FROM screening_checks k WHERE k.screening_id = s.id AND k.day = $2) ORDER BY s.id`, county, day, fugong.AddDays(day, -fugong.IsolationDays))
	if err != nil {
		return nil, fmt.Errorf("screenings owing a check: %w", err)
	}
	defer rows.Close()
	var out []fugong.Screening
	for rows.Next() {
		var s fugong.Screening
		if err := rows.Scan(&s.ID, &s.Village, &s.Name, &s.ReturnedOn, &s.Day); err != nil {
			return nil, err
		}
		if s.County = county; s.OwesCheck(day) {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

// alertScreening tells the village cadres of a screened person's village, its township
// and command, in the app. The notice names no one and carries no reading (the
// notifications table keeps no health record in clear): it links to the screening.
func (h *Health) alertScreening(ctx context.Context, q Querier, s fugong.Screening, subject, body string) error {
	ids, err := recipientIDs(q.QueryContext(ctx, `SELECT id FROM users WHERE region_code = $1 AND disabled = $2 AND (
			(role = 'village' AND region = $3)
			OR (role = 'township' AND region IN (SELECT parent_code FROM regions WHERE code = $3))
			OR role = 'command') ORDER BY id`, s.County, false, s.Village))
	if err != nil {
		return fmt.Errorf("screening alert recipients: %w", err)
	}
	return h.DB.notifyInApp(ctx, q, s.County, ids, subject, body, "screenings", s.ID)
}

// screeningHealthCheck is a screening check's health record, sealed.
type screeningHealthCheck struct {
	Temperature int    `json:"t"`
	Symptoms    string `json:"s"`
}

// RecordScreeningCheck records the day's reading of a person screened at home, by a
// village cadre (or the township, command) in whose scope the screening lies. A fever or
// a symptom alerts at once as at the door; a second reading of the same day is refused.
func (h *Health) RecordScreeningCheck(ctx context.Context, sc fugong.Scope, c *fugong.ScreeningCheck) error {
	db := h.DB
	if err := sc.Require(screeners...); err != nil {
		return err
	}
	if err := c.Validate(db.Today()); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		s, err := h.findScreening(ctx, tx, sc, c.ScreeningID)
		if err != nil {
			return err
		}
		if err := s.CheckReadingDay(c.Day); err != nil {
			return err
		}
		c.County, c.Village, c.RecordedBy, c.At = s.County, s.Village, fugong.ActorFrom(ctx).Username, db.Clock.Now()
		if err := db.insertScreeningCheck(ctx, tx, h, c); err != nil {
			return err
		}
		if err := db.Audit(ctx, tx, c.County, "check", "screenings", s.ID, nil, map[string]any{"day": c.Day, "fever": c.Fever}); err != nil {
			return err
		}
		if !c.Fever {
			return nil
		}
		return db.alertCommand(ctx, tx, s.County, "screenings", strconv.FormatInt(s.ID, 10), h.text("screening.n.subject"),
			h.text("screening.n.check_fever", c.Day))
	})
}

// findScreening reads a screening in the caller's scope with the end of its home
// isolation (sealed with its health record).
func (h *Health) findScreening(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Screening, error) {
	var a args
	var s fugong.Screening
	var health string
	err := q.QueryRowContext(ctx, `SELECT s.id, s.region_code, s.village, s.name, s.returned_on, s.isolation_until, s.day, s.health_sealed FROM screenings s WHERE s.id = `+a.add(id)+` AND `+
		screeningScope(sc, &a), a.vals...).Scan(&s.ID, &s.County, &s.Village, &s.Name, &s.ReturnedOn, &s.IsolationUntil, &s.Day, &health)
	if err != nil {
		return s, mapErr(err)
	}
	hv := screeningHealth{IsolationUntil: s.IsolationUntil}
	if err := openHealth(h.Keys, health, &hv); err != nil {
		return s, err
	}
	s.IsolationUntil = hv.IsolationUntil
	return s, nil
}

// FindScreeningChecks lists the home-isolation readings of a screening in the caller's
// scope, in a day range, newest first, their health records opened.
func (h *Health) FindScreeningChecks(ctx context.Context, sc fugong.Scope, id int64, r fugong.DayRange) ([]fugong.ScreeningCheck, error) {
	if _, err := h.findScreening(ctx, h.DB.R, sc, id); err != nil {
		return nil, err
	}
	var a args
	c := dayRange([]string{"screening_id = " + a.add(id)}, r, &a)
	rows, err := h.DB.R.QueryContext(ctx, `SELECT id, region_code, screening_id, village, day, fever, health_sealed, recorded_by, at FROM screening_checks`+where(c)+` ORDER BY day DESC`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find screening checks: %w", err)
	}
	defer rows.Close()
	var out []fugong.ScreeningCheck
	for rows.Next() {
		var k fugong.ScreeningCheck
		var health string
		var at int64
		if err := rows.Scan(&k.ID, &k.County, &k.ScreeningID, &k.Village, &k.Day, &k.Fever, &health, &k.RecordedBy, &at); err != nil {
			return nil, err
		}
		var v screeningHealthCheck
		if err := openHealth(h.Keys, health, &v); err != nil {
			return nil, fmt.Errorf("screening check %d: %w", k.ID, err)
		}
		k.Temperature, k.Symptoms, k.At = v.Temperature, v.Symptoms, fromMS(at)
		out = append(out, k)
	}
	return out, rows.Err()
}

func (db *DB) insertScreeningCheck(ctx context.Context, q Querier, h *Health, c *fugong.ScreeningCheck) error {
	health, err := sealHealth(h.Keys, screeningHealthCheck{c.Temperature, c.Symptoms})
	if err != nil {
		return err
	}
	err = q.QueryRowContext(ctx, `INSERT INTO screening_checks (region_code, screening_id, village, day, fever, health_sealed, recorded_by, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.County, c.ScreeningID, c.Village, c.Day, c.Fever, health, c.RecordedBy, ms(c.At)).Scan(&c.ID)
	if err != nil {
		if err = mapErr(err); fugong.ErrorCode(err) == fugong.ECONFLICT {
			return fugong.Invalid(map[string]fugong.Msg{"day": fugong.M("screening.check_duplicate", c.Day)})
		}
		return fmt.Errorf("record screening check: %w", err)
	}
	return nil
}
