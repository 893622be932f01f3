package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"fugong/app/apptest"
	"fugong/auth"
)

// A bearer token's caller is remembered between requests; revoking the token,
// disabling the account or changing its password must still shut it out at the very
// next request.
func TestRememberedTokenStopsAtOnce(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		for _, c := range []struct {
			name string
			end  func(t *testing.T, c *apptest.Client, userID int64)
		}{
			{"revoke", func(t *testing.T, c *apptest.Client, _ int64) {
				if status, body := c.JSON("DELETE", "/api/v1/auth/token", nil); status != http.StatusNoContent {
					t.Fatalf("revoke: %d %s", status, body)
				}
			}},
			{"disable", func(t *testing.T, c *apptest.Client, id int64) {
				if err := env.App.DB.SetDisabled(ctx, id, true); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { env.App.DB.SetDisabled(ctx, id, false) })
			}},
			{"password", func(t *testing.T, c *apptest.Client, id int64) {
				hash, err := auth.HashPassword(apptest.Password)
				if err != nil {
					t.Fatal(err)
				}
				if err := env.App.DB.SetPassword(ctx, id, hash); err != nil {
					t.Fatal(err)
				}
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				cl := env.APIClient(t, "liaison001")
				var me struct {
					ID int64 `json:"id"`
				}
				for range 2 { // the second answer comes from what was remembered
					if status, body := cl.JSON("GET", "/api/v1/me", nil); status != http.StatusOK {
						t.Fatalf("before: %d %s", status, body)
					} else if err := json.Unmarshal(body, &me); err != nil {
						t.Fatal(err)
					}
				}
				c.end(t, cl, me.ID)
				if status, _ := cl.JSON("GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
					t.Fatalf("after %s: status %d, want 401", c.name, status)
				}
			})
		}
	})
}
