package store

import (
	"strconv"
	"strings"
)

// args collects positional parameters and hands out their $n placeholders, so that
// filters are built from clauses and values and no value is ever spliced into SQL.
type args struct {
	vals []any
}

// add appends a value and returns its placeholder.
func (a *args) add(v any) string {
	a.vals = append(a.vals, v)
	return "$" + strconv.Itoa(len(a.vals))
}

// where joins clauses with AND, or returns "" when there are none.
func where(clauses []string) string {
	if len(clauses) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(clauses, " AND ")
}

// page clamps a limit and offset: default 50, at most 1,000.
func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = 50
	}
	if limit > 1000 {
		limit = 1000
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}

// like builds the argument of a case-insensitive contains search.
func like(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(q)) + "%"
}
