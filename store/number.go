package store

import (
	"context"
	"database/sql"
	"sync"
)

// numberBlock is how many demand numbers one short transaction reserves on PostgreSQL.
// Numbers stay unique and readable (SQ-YYYYMMDD-NNNN) and grow through the day; what a
// process has reserved and not used when it stops is skipped, so a day's numbers may
// have gaps of up to numberBlock-1 per restart.
const numberBlock = 16

// numberBlocks reserves demand numbers per county and day from demand_counters, a block
// at a time in a transaction of its own that commits at once, so the row is never held
// by a long group transaction.
type numberBlocks struct {
	mu sync.Mutex
	m  map[string]*numberRange
}

type numberRange struct {
	mu        sync.Mutex
	next, end int // the range still free is [next, end)
}

func (b *numberBlocks) next(ctx context.Context, w *sql.DB, county, day string) (int, error) {
	b.mu.Lock()
	if b.m == nil {
		b.m = map[string]*numberRange{}
	}
	key := county + "/" + day
	r := b.m[key]
	if r == nil {
		// Only today's and yesterday's ranges matter; drop the others now and then.
		if len(b.m) > 1000 {
			b.m = map[string]*numberRange{}
		}
		r = &numberRange{}
		b.m[key] = r
	}
	b.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next >= r.end {
		var last int
		if err := w.QueryRowContext(ctx, `INSERT INTO demand_counters (region_code, day, n) VALUES ($1, $2, $3)
			ON CONFLICT (region_code, day) DO UPDATE SET n = demand_counters.n + $3 RETURNING n`, county, day, numberBlock).Scan(&last); err != nil {
			return 0, err
		}
		r.next, r.end = last-numberBlock+1, last+1
	}
	n := r.next
	r.next++
	return n, nil
}
