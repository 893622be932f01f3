package app_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/load"
	"fugong/xlsx"
)

// A ledger with one bad row deep inside — data row 5,000 of 6,000, sheet line 5,001 —
// writes nothing, by the page or by the API, and names the row and column; the same
// ledger without it previews on the page and imports every row on confirmation. Between
// the two the ledger waits on the server sealed (no zip, no cell of it readable); a token
// changed, a staged file changed or one kept past the hour is refused in words, and
// writes nothing.
func TestWorkerImportBadRowDeepInsideWritesNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	apptest.EachInTurn(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		api := env.APIClient(t, "enterprise001")
		_, me := api.JSON("GET", "/api/v1/me", nil)
		var who struct {
			EnterpriseID int64 `json:"enterprise_id"`
		}
		json.Unmarshal(me, &who)
		count := func() int {
			var n int
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM workers WHERE enterprise_id = $1`, who.EnterpriseID).Scan(&n)
			return n
		}
		ledger := func(bad int) []byte {
			var b bytes.Buffer
			if err := load.WriteWorkersLedger(&b, 6000, bad, 7); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		before := count()
		badFile, goodFile := ledger(5000), ledger(0)

		page := env.Login(t, "enterprise001")
		board := fmt.Sprintf("/health/enterprises/%d", who.EnterpriseID)
		page.Page(board)
		upload := func(file []byte) (int, string) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("csrf", page.CSRF)
			part, _ := mw.CreateFormFile("file", "员工台账.xlsx")
			part.Write(file)
			mw.Close()
			res := page.Do("POST", board+"/import", mw.FormDataContentType(), &body, nil)
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return res.StatusCode, string(b)
		}
		status, html := upload(badFile)
		if status != http.StatusUnprocessableEntity || !strings.Contains(html, "第 5001 行 · 身份证号") || strings.Contains(html, `name="token"`) {
			t.Fatalf("bad ledger on the page: %d, want 422 naming 第 5001 行 · 身份证号 and no confirmation", status)
		}
		res := api.Do("POST", fmt.Sprintf("/api/v1/workers/import?enterprise_id=%d", who.EnterpriseID), xlsx.ContentType, bytes.NewReader(badFile), nil)
		var got struct {
			Rows      int  `json:"rows"`
			Committed bool `json:"committed"`
			Count     int  `json:"error_count"`
			Errors    []struct {
				Line   int    `json:"line"`
				Column string `json:"column"`
			} `json:"errors"`
		}
		json.NewDecoder(res.Body).Decode(&got)
		res.Body.Close()
		if res.StatusCode != http.StatusUnprocessableEntity || got.Committed || got.Rows != 6000 || got.Count != 1 || len(got.Errors) != 1 ||
			got.Errors[0].Line != 5001 || got.Errors[0].Column != "身份证号" {
			t.Fatalf("bad ledger by the API: %d %+v", res.StatusCode, got)
		}
		if count() != before {
			t.Fatalf("a ledger with a bad row wrote %d workers", count()-before)
		}

		status, html = upload(goodFile)
		tok := regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`).FindStringSubmatch(html)
		if status != http.StatusOK || !strings.Contains(html, "共 6000 行") || tok == nil || count() != before {
			t.Fatalf("preview: %d, want 200 with 共 6000 行 and a confirmation, nothing written (%d)", status, count()-before)
		}
		staged, _ := filepath.Glob(filepath.Join(tmp, "fugong-imports", "*-"+tok[1]+".sealed"))
		if len(staged) != 1 {
			t.Fatalf("staged: %v", staged)
		}
		sealed, _ := os.ReadFile(staged[0])
		if _, err := zip.NewReader(bytes.NewReader(sealed), int64(len(sealed))); err == nil || !bytes.HasPrefix(sealed, []byte("fugong-sealed-v1 ")) ||
			bytes.Contains(sealed, goodFile[len(goodFile)-512:]) || bytes.Contains(sealed, []byte("xl/worksheets")) {
			t.Fatalf("the staged ledger is not sealed: %.40q", sealed)
		}
		written := before
		expired := func(token string) {
			t.Helper()
			status, _, html := page.Form(board+"/import", url.Values{"token": {token}})
			if status != http.StatusNotFound || !strings.Contains(html, "这份预览已过期") || count() != written {
				t.Fatalf("token %s: %d, %d workers written; want 404 这份预览已过期 and nothing", token, status, count()-written)
			}
		}
		changed := []byte(tok[1])
		changed[0] ^= 1
		expired(string(changed))
		expired(tok[1][:31])
		tampered := bytes.Clone(sealed)
		tampered[len(tampered)/2] ^= 1
		os.WriteFile(staged[0], tampered, 0o600)
		if status, _, _ = page.Form(board+"/import", url.Values{"token": {tok[1]}}); status != http.StatusUnprocessableEntity || count() != before {
			t.Fatalf("a staged ledger changed on disk: %d, %d workers written", status, count()-before)
		}
		os.WriteFile(staged[0], sealed, 0o600)
		os.Chtimes(staged[0], time.Now().Add(-2*time.Hour), time.Now().Add(-2*time.Hour))
		expired(tok[1])
		os.WriteFile(staged[0], sealed, 0o600)
		status, _, _ = page.Form(board+"/import", url.Values{"token": {tok[1]}})
		if status != http.StatusSeeOther || count() != before+6000 {
			t.Fatalf("confirmation: %d, %d workers written, want 6000", status, count()-before)
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "fugong-imports", "*")); len(left) != 0 {
			t.Errorf("left after the import: %v", left)
		}
		written = count()
		expired(tok[1])
	})
}
