package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugong"
	"fugong/secret"
	"fugong/store"
	"fugong/store/storetest"
)

// A staged upload — a ledger between its preview and its commit — is sealed at rest,
// found only by its uploader with its token, not found after an hour, and gone once
// deleted.
func TestStagedUploadsAreSealedBoundAndExpire(t *testing.T) {
	clock := fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC))
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock.Set(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC))
		keys, err := secret.Load(filepath.Join(t.TempDir(), "keys"), true)
		if err != nil {
			t.Fatal(err)
		}
		village := fugong.Scope{Role: fugong.RoleVillage, County: "430821", UserID: 7}
		body := []byte("姓名,身份证号\n周一,430821198903150045\n")
		up := store.LedgerUpload{Kind: "job-seekers", Filename: "求职登记.csv", Body: body}
		if err := db.SaveUpload(ctx, village, keys, &up); err != nil {
			t.Fatal(err)
		}
		if len(up.Token) != 32 {
			t.Fatalf("token %q", up.Token)
		}
		var stored string
		db.R.QueryRow(`SELECT body FROM ledger_uploads WHERE token = $1`, up.Token).Scan(&stored)
		if stored == "" || strings.Contains(stored, "430821198903150045") || strings.Contains(stored, "5ZGo5LiA") {
			t.Fatalf("the upload is kept in clear: %q", stored)
		}
		got, err := db.FindUpload(ctx, village, keys, up.Token)
		if err != nil || string(got.Body) != string(body) || got.Kind != "job-seekers" || got.Filename != "求职登记.csv" {
			t.Fatalf("found %+v, %v", got, err)
		}
		other := village
		other.UserID = 8
		if _, err := db.FindUpload(ctx, other, keys, up.Token); fugong.ErrorCode(err) != fugong.ENOTFOUND {
			t.Errorf("another user found the upload: %v", err)
		}
		if _, err := db.FindUpload(ctx, village, keys, strings.Repeat("0", 32)); fugong.ErrorCode(err) != fugong.ENOTFOUND {
			t.Errorf("a made-up token: %v", err)
		}
		clock.Advance(store.UploadKept + time.Minute)
		if _, err := db.FindUpload(ctx, village, keys, up.Token); fugong.ErrorCode(err) != fugong.ENOTFOUND {
			t.Errorf("an upload past its hour is still found: %v", err)
		}
		// The next upload removes the abandoned one.
		next := store.LedgerUpload{Kind: "job-seekers", Filename: "x.csv", Body: body}
		if err := db.SaveUpload(ctx, village, keys, &next); err != nil {
			t.Fatal(err)
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM ledger_uploads`).Scan(&n)
		if n != 1 {
			t.Errorf("%d uploads kept, want the fresh one only", n)
		}
		if err := db.DeleteUpload(ctx, village, next.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindUpload(ctx, village, keys, next.Token); fugong.ErrorCode(err) != fugong.ENOTFOUND {
			t.Errorf("a deleted upload is found: %v", err)
		}
	})
}
