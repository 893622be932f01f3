package store_test

import (
	"context"
	"testing"
	"time"

	"fugong"
	"fugong/store"
)

// TestIntakeForgetsStations: intake remembers which enterprises a liaison may raise
// demands for, and forgets at once when the liaison is recalled or the enterprise renamed.
func TestIntakeForgetsStations(t *testing.T) {
	withDemo(t, func(t *testing.T, clock *fugong.ManualClock, db *store.DB) {
		ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "test"})
		var county string
		var link, ent, user int64
		if err := db.R.QueryRowContext(ctx, `SELECT id, region_code, enterprise_id, user_id FROM liaison_assignments WHERE to_date = '' ORDER BY id LIMIT 1`).Scan(&link, &county, &ent, &user); err != nil {
			t.Fatal(err)
		}
		s := &store.Demands{DB: db, Loc: time.FixedZone("CST", 8*3600), Text: func(key string, args ...any) string { return key }}
		liaison := fugong.Scope{Role: fugong.RoleLiaison, County: county, UserID: user, Username: "liaison"}
		command := fugong.Scope{Role: fugong.RoleCommand, County: county, Username: "command"}
		raise := func() (fugong.Demand, error) {
			d := fugong.Demand{EnterpriseID: ent, Category: "other", Channel: fugong.ChannelAPI, Description: "求助", Urgency: fugong.Urgencies[0]}
			err := s.Create(ctx, liaison, &d)
			return d, err
		}
		if _, err := raise(); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateEnterprise(ctx, command, ent, 0, func(e *fugong.Enterprise) error { e.Name = "改名后的企业"; return nil }); err != nil {
			t.Fatal(err)
		}
		if d, err := raise(); err != nil || d.EnterpriseName != "改名后的企业" {
			t.Errorf("after the rename: %q, %v", d.EnterpriseName, err)
		}
		if err := db.EndLink(ctx, command, fugong.LinkLiaison, link, "2020-03-09"); err != nil {
			t.Fatal(err)
		}
		if _, err := raise(); fugong.ErrorCode(err) != fugong.EINVALID {
			t.Errorf("a recalled liaison raised a demand for the enterprise: %v", err)
		}
	})
}
