package store

import (
	"strings"
	"testing"
)

// The rows SealClearHealth looks for are the ones migration 00326 indexes, word for word:
// a query whose condition differs from the partial index's is not served by it, and every
// start would scan the tables whole again.
func TestClearHealthQueriesUseTheirIndexes(t *testing.T) {
	b, err := migrationFiles.ReadFile("migrations/00326_health_backfill_index.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clearHealthTables() {
		want := "CREATE INDEX " + c.table + "_clear_health ON " + c.table + " (id) WHERE health_sealed = '' AND (" + c.clear + ");"
		if !strings.Contains(string(b), want) {
			t.Errorf("migration 00326 lacks %s", want)
		}
	}
}
