package app_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs up to four of the package's tests at once unless -parallel says
// otherwise. Each test starts its own fugong on its own copy of the demo county (a
// CREATE DATABASE … TEMPLATE on PostgreSQL, a file copy on SQLite) and spends most of its
// time waiting on the databases, not on the CPU: on the 2-core CI machine the default of
// two at a time left the package the longest of the suite.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "4")
	}
	os.Exit(m.Run())
}
