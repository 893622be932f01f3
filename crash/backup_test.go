package crash

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// A backup taken while enterprises raise demands restores into a new data folder that
// holds every demand answered before the backup began, each equal to the original, with
// no hole; the restored folder serves.
func TestBackupUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("backup under load: starts fugong twice")
	}
	bin := build(t)
	live, restored := t.TempDir(), t.TempDir()
	s := start(t, bin, live, "", "")
	var ents []enterprise
	for n := 1; n <= 6; n++ {
		ents = append(ents, login(t, s, n))
	}
	var c counts
	var log ackLog
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { driveInto(s, ents, 0, &c, stop, &log); close(done) }()
	time.Sleep(time.Second)
	before := log.list()
	file := filepath.Join(t.TempDir(), "fugong-backup.db")
	if out, err := exec.Command(bin, "backup", "--data", live, "--out", file).CombinedOutput(); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	time.Sleep(500 * time.Millisecond)
	close(stop)
	<-done
	s.kill(t)
	if out, err := exec.Command(bin, "restore", "--in", file, "--data", restored, "--key-file", filepath.Join(live, "fugong.key")).CombinedOutput(); err != nil {
		t.Fatalf("restore: %v %s", err, out)
	}

	a, b := openDB(t, live, ""), openDB(t, restored, "")
	defer a.Close()
	defer b.Close()
	var maxID int64
	b.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM demands`).Scan(&maxID)
	for _, table := range []string{"demands", "users", "enterprises", "regions"} {
		q := `SELECT COUNT(*) FROM ` + table
		if table == "demands" {
			q += fmt.Sprintf(" WHERE id <= %d", maxID)
		}
		var nLive, nBack int
		a.QueryRow(q).Scan(&nLive)
		b.QueryRow(q).Scan(&nBack)
		if nLive != nBack {
			t.Errorf("%s: %d rows live, %d restored", table, nLive, nBack)
		}
	}
	sumLive, sumBack := demandSum(t, a, maxID), demandSum(t, b, maxID)
	if !bytes.Equal(sumLive, sumBack) {
		t.Errorf("demands up to %d differ between the live database and the restored one", maxID)
	}
	lost := 0
	for _, d := range before {
		if d.Check {
			var day string
			if err := b.QueryRow(`SELECT day FROM worker_checks WHERE id = $1`, d.ID).Scan(&day); err != nil || day != d.Day {
				lost++
			}
			continue
		}
		var number, text string
		if err := b.QueryRow(`SELECT number, description FROM demands WHERE id = $1`, d.ID).Scan(&number, &text); err != nil || number != d.Number || text != d.Description {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d demands and checks answered before the backup are not in it", lost, len(before))
	}

	r := start(t, bin, restored, "", "")
	defer r.kill(t)
	e := login(t, r, 1)
	first := before[0]
	for _, d := range before {
		if !d.Check {
			first = d
			break
		}
	}
	req, _ := http.NewRequest("GET", r.url+"/api/v1/demands/"+fmt.Sprint(first.ID), nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotFound {
		t.Errorf("the restored server answers %d", res.StatusCode)
	}
	t.Logf("requests %d, answered 201 %d (%d before the backup began), demands in the backup %d, checksum %x, lost 0", c.requests.Load(), c.created.Load(), len(before), maxID, sumBack[:8])
}

// demandSum is a SHA-256 over every demand up to maxID, in id order.
func demandSum(t *testing.T, db *sql.DB, maxID int64) []byte {
	t.Helper()
	rows, err := db.Query(`SELECT id, number, description, enterprise_id, quantity, state, level, received_at, version FROM demands WHERE id <= $1 ORDER BY id`, maxID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var id, ent, qty, at, version int64
		var number, text, state, level string
		if err := rows.Scan(&id, &number, &text, &ent, &qty, &state, &level, &at, &version); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%d|%s|%s|%d|%d|%s|%s|%d|%d\n", id, number, text, ent, qty, state, level, at, version)
	}
	return h.Sum(nil)
}
