package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/demo"
	"fugong/i18n"
	"fugong/store"
)

// Demands raised at the same moment are written together by the group commit; each must
// still get its own number, timeline line, audit line, clock job and the liaison's
// notification, exactly once.
func TestConcurrentIntakeWritesEveryRow(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		const n = 48
		clients := make([]*apptest.Client, 8)
		for i := range clients {
			clients[i] = env.APIClient(t, fmt.Sprintf("enterprise%03d", i+1))
		}
		out := make([]demandOut, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, b := clients[i%len(clients)].JSON("POST", "/api/v1/demands", map[string]any{"category": "supplies", "description": fmt.Sprintf("口罩 第%d批", i),
					"quantity": 300, "fields": map[string]string{"item": "口罩"}})
				if status != http.StatusCreated {
					t.Errorf("demand %d: %d %s", i, status, b)
					return
				}
				out[i] = decodeJSON[demandOut](t, status, http.StatusCreated, b)
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		numbers := map[string]bool{}
		for i, d := range out {
			if d.ID == 0 || numbers[d.Number] {
				t.Fatalf("demand %d: id %d, number %q (seen before: %v)", i, d.ID, d.Number, numbers[d.Number])
			}
			numbers[d.Number] = true
			got := getDemand(t, clients[i%len(clients)], d.ID)
			if got.Number != d.Number || len(got.Timeline) != 1 || got.Timeline[0].Action != "create" {
				t.Errorf("demand %s reads back as %s with timeline %v", d.Number, got.Number, got.Timeline)
			}
			id := strconv.FormatInt(d.ID, 10)
			for _, c := range []struct{ what, q string }{
				{"audit line", `SELECT COUNT(*) FROM audit_log WHERE entity = 'demands' AND action = 'create' AND entity_id = $1 AND after_json LIKE '%' || $2 || '%'`},
				{"clock job", `SELECT COUNT(*) FROM jobs WHERE kind = 'demand.clock' AND payload = $1 AND $2 <> ''`},
				{"liaison's notification", `SELECT COUNT(*) FROM notifications WHERE entity = 'demands' AND entity_id = $1 AND body LIKE '%' || $2 || '%'`},
			} {
				var k int
				if err := env.App.DB.R.QueryRow(c.q, id, d.Number).Scan(&k); err != nil {
					t.Fatal(err)
				}
				if k != 1 {
					t.Errorf("demand %s has %d %ss, want 1", d.Number, k, c.what)
				}
			}
		}
	})
}

// One bad demand among many written together is refused alone: the others are kept.
func TestIntakeBatchRefusesOnlyTheBadDemand(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ds := store.NewDemands(env.App.DB, env.App.Loc, i18n.MustLoad())
		sc := fugong.Scope{Role: fugong.RoleCommand, County: demo.County, UserID: userID(t, env, "command")}
		ctx := fugong.WithActor(context.Background(), fugong.Actor{UserID: sc.UserID, Username: "command"})
		first := fugong.Demand{EnterpriseID: enterpriseOf(t, env, "enterprise001"), Category: "supplies", Channel: fugong.ChannelAPI, Description: "口罩", Quantity: 300, Fields: map[string]string{"item": "口罩"}}
		if err := ds.Create(ctx, sc, &first); err != nil {
			t.Fatal(err)
		}
		const n = 32
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := fugong.Demand{EnterpriseID: first.EnterpriseID, Category: "supplies", Channel: fugong.ChannelAPI, Description: fmt.Sprintf("口罩 %d", i), Quantity: 100, Fields: map[string]string{"item": "口罩"}}
				if i == n/2 {
					d.Number = first.Number // taken: the unique number refuses it
				}
				errs[i] = ds.Create(ctx, sc, &d)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if i == n/2 {
				if fugong.ErrorCode(err) != fugong.ECONFLICT {
					t.Errorf("the demand with a taken number: %v, want a conflict", err)
				}
			} else if err != nil {
				t.Errorf("demand %d refused with the bad one: %v", i, err)
			}
		}
		var k int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands WHERE description LIKE '口罩 %'`).Scan(&k)
		if k != n-1 {
			t.Errorf("%d demands kept, want %d", k, n-1)
		}
	})
}
