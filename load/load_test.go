package load_test

import (
	"context"
	"io"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/load"
)

func TestLoadDrivesTheDemoAndCountsEveryOperation(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	res, err := load.Run(context.Background(), load.Config{Target: env.URL, Password: apptest.Password, Duration: time.Second, Conns: 4, Mix: load.DefaultMix, Accounts: 2}, io.Discard)
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
