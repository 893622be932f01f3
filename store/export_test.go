package store

// SealedColumns exposes the sealed columns to the personal-data test as table.column.
func SealedColumns() []string {
	var out []string
	for _, c := range sealedColumns() {
		out = append(out, c.table+"."+c.column)
	}
	return out
}

// HealthPanel exposes the dashboard's health panel to the health benchmark.
var HealthPanel = healthPanel
