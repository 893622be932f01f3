package app_test

import (
	"context"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/secret"
)

// A key rotation re-seals every worker's and job seeker's personal data under the new key,
// and every value still opens to what it was.
func TestKeyRotationResealsPersonalData(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db, keys := env.App.DB, env.App.Keys
		read := func() map[string]string {
			out := map[string]string{}
			for _, q := range []string{`SELECT 'w' || CAST(id AS TEXT), id_sealed FROM workers`, `SELECT 's' || CAST(id AS TEXT), phone_sealed FROM job_seekers`} {
				rows, err := db.R.Query(q)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var k, v string
					rows.Scan(&k, &v)
					out[k] = v
				}
				rows.Close()
			}
			return out
		}
		before := read()
		if len(before) < 100 {
			t.Fatalf("only %d sealed values in the demo", len(before))
		}
		plain := map[string]string{}
		for k, v := range before {
			p, err := keys.Open(v)
			if err != nil {
				t.Fatalf("%s does not open before rotation: %v", k, err)
			}
			plain[k] = p
		}
		id, err := secret.Rotate(env.App.KeyFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := keys.Reload(env.App.KeyFile); err != nil {
			t.Fatal(err)
		}
		n, err := db.Reseal(context.Background(), keys)
		if err != nil {
			t.Fatal(err)
		}
		after := read()
		if n < len(before) {
			t.Errorf("%d values re-sealed of %d", n, len(before))
		}
		for k, v := range after {
			if !strings.HasPrefix(v, id+":") && v != "" {
				t.Fatalf("%s still sealed with an old key", k)
			}
			if p, err := keys.Open(v); err != nil || p != plain[k] {
				t.Fatalf("%s changed in the rotation", k)
			}
		}
	})
}
