package store

import (
	"context"
	"database/sql"
	"sync"
)

// Events counted for the operations metrics (/metrics), passed to DB.OnEvent.
const (
	EventImport      = "import"       // label: the entity imported (enterprises, workers…)
	EventClockLate   = "clock_late"   // label: the clock that ran out
	EventClockWarn   = "clock_warn"   // label: the clock whose deadline is near
	EventLoginFailed = "login_failed" // no label
)

// eventLog holds the events of transactions still open, so that an event is counted once
// its transaction commits and never when it rolls back.
type eventLog struct {
	mu      sync.Mutex
	pending map[Querier][][2]string
}

// Count notes an event in q's transaction (counted when it commits; at once when q is no
// transaction or nil). The same event and label count once per transaction: one import
// that writes an audit line per row is still one import.
func (db *DB) Count(q Querier, event, label string) {
	if db.OnEvent == nil {
		return
	}
	if _, ok := q.(*sql.Tx); !ok {
		db.OnEvent(event, label)
		return
	}
	db.events.mu.Lock()
	defer db.events.mu.Unlock()
	if db.events.pending == nil {
		db.events.pending = map[Querier][][2]string{}
	}
	for _, e := range db.events.pending[q] {
		if e == [2]string{event, label} {
			return
		}
	}
	db.events.pending[q] = append(db.events.pending[q], [2]string{event, label})
}

// settle counts the events of tx when it committed, and forgets them either way.
func (db *DB) settle(tx *sql.Tx, committed bool) {
	if db.OnEvent == nil {
		return
	}
	db.events.mu.Lock()
	es := db.events.pending[tx]
	delete(db.events.pending, tx)
	db.events.mu.Unlock()
	if committed {
		for _, e := range es {
			db.OnEvent(e[0], e[1])
		}
	}
}

// Operations are the figures of the work in hand that /metrics shows.
type Operations struct {
	// Open and Late count open demands, and those of them with a clock run out, by the
	// ladder level that owns them.
	Open, Late map[string]int
	// Pending and Failed count notifications waiting for delivery and given up on, by
	// channel.
	Pending, Failed map[string]int
}

// FindOperations reads the operations figures of every county in the database.
func (db *DB) FindOperations(ctx context.Context) (Operations, error) {
	o := Operations{Open: map[string]int{}, Late: map[string]int{}, Pending: map[string]int{}, Failed: map[string]int{}}
	rows, err := db.R.QueryContext(ctx, `SELECT level, COUNT(*), SUM(CASE WHEN response_late OR same_day_late OR solution_late THEN 1 ELSE 0 END)
		FROM demands WHERE state NOT IN ('solved', 'confirmed', 'closed') GROUP BY level`)
	if err != nil {
		return o, err
	}
	defer rows.Close()
	for rows.Next() {
		var level string
		var open, late int
		if err := rows.Scan(&level, &open, &late); err != nil {
			return o, err
		}
		o.Open[level], o.Late[level] = open, late
	}
	if err := rows.Err(); err != nil {
		return o, err
	}
	for state, m := range map[string]map[string]int{"pending": o.Pending, "failed": o.Failed} {
		// One query per state, so that each reads its partial index.
		rows, err := db.R.QueryContext(ctx, `SELECT channel, COUNT(*) FROM notifications WHERE state = '`+state+`' GROUP BY channel`)
		if err != nil {
			return o, err
		}
		for rows.Next() {
			var ch string
			var n int
			if err := rows.Scan(&ch, &n); err != nil {
				rows.Close()
				return o, err
			}
			m[ch] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return o, err
		}
	}
	return o, nil
}
