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

// MinuteBucketWidth is the width of the kept minutes' bucket that holds m (the last
// bucket's is taken as its lower bound), for the test of a province's medians.
func MinuteBucketWidth(m int) int {
	b := minuteBucket(m)
	for i, x := range minuteBuckets {
		if x == b && i+1 < len(minuteBuckets) {
			return minuteBuckets[i+1] - x
		}
	}
	return b
}
