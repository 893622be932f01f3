package load_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/load"
)

func TestLoadDrivesTheDemoAndCountsEveryOperation(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	// Every operation of the morning, each as likely as the others so that a short run
	// makes some of each (the default mix sends the dashboard one request in eighty).
	var names []string
	for _, part := range strings.Split(load.DefaultMix, ",") {
		name, _, _ := strings.Cut(part, "=")
		names = append(names, name+"=1")
	}
	res, err := load.Run(context.Background(), load.Config{Target: env.URL, Password: apptest.Password, Duration: 10 * time.Second, Conns: 4, Mix: strings.Join(names, ","), Accounts: 2}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	mix, _ := load.ParseMix(load.DefaultMix)
	if len(res) != len(mix) {
		t.Fatalf("%d results for %d operations", len(res), len(mix))
	}
	for _, r := range res {
		if r.Count == 0 || r.Errors != 0 || r.P50 <= 0 || r.P99 < r.P50 {
			t.Errorf("%s: %+v", r.Op, r)
		}
	}
}

func TestParseMixNamesTheBadPart(t *testing.T) {
	for _, m := range []string{"", "nothing=1", "me=0", "me=x"} {
		if _, err := load.ParseMix(m); err == nil {
			t.Errorf("mix %q accepted", m)
		}
	}
}
