package app_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/xlsx"
)

// uploadSheet posts a file to an upload form as a browser does.
func uploadSheet(t *testing.T, c *apptest.Client, path, filename string, file []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(file)
	mw.Close()
	res := c.Do("POST", path, mw.FormDataContentType(), &body, http.Header{"X-Csrf-Token": {c.CSRF}})
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, string(b)
}

var commitRe = regexp.MustCompile(`action="(/setup/import/[a-z-]+/[0-9a-f]+)"`)

// importSheet uploads a sheet, expects its preview, and commits it.
func importSheet(t *testing.T, c *apptest.Client, kind, filename string, file []byte, previewHas ...string) {
	t.Helper()
	status, page := uploadSheet(t, c, "/setup/import/"+kind, filename, file)
	m := commitRe.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		t.Fatalf("%s: preview of %s: %d %.1500s", kind, filename, status, page)
	}
	for _, s := range previewHas {
		if !strings.Contains(page, s) {
			t.Errorf("%s: the preview does not show %q", kind, s)
		}
	}
	if status, _, body := c.Form(m[1], nil); status != http.StatusSeeOther {
		t.Fatalf("%s: commit: %d %.800s", kind, status, body)
	}
}

func TestOrgUnitsAndStaffImportedFromTheOfficesOwnSheets(t *testing.T) {
	t.Parallel()
	units, err := os.ReadFile("testdata/setup/org-units-libreoffice.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	staff, err := os.ReadFile("testdata/setup/staff-gbk.csv")
	if err != nil {
		t.Fatal(err)
	}
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "it-admin")
		loadCounty(t, c)
		// The template: the headers alone (its example and notes are on its second sheet,
		// which the import does not read).
		res := c.Do("GET", "/setup/import/people/template.xlsx", "", nil, nil)
		sheet, err := xlsx.Read("t.xlsx", res.Body, xlsx.Limits{})
		res.Body.Close()
		if err != nil || strings.Join(sheet.Headers, ",") != "姓名,手机号,单位,职务,职级,角色,乡镇/村,账号" || len(sheet.Rows) != 0 {
			t.Fatalf("people template: %v %v", err, sheet)
		}
		// Staff before their org units: every bad cell named, nothing written.
		status, page := uploadSheet(t, c, "/setup/import/people", "人员.csv", staff)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "第 2 行 · 单位：本县没有单位「慈利县疫情防控指挥部」") ||
			!strings.Contains(page, "第 5 行 · 单位") {
			t.Fatalf("staff before org units: %d, want 422 naming each unknown unit: %.1500s", status, page)
		}
		// The org units sheet LibreOffice wrote, with 乡镇 for 所属乡镇 and a column of its own.
		importSheet(t, c, "org-units", "单位.xlsx", units, "县卫健局", "工矿企业、窗口服务", "备注")
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM org_units WHERE region_code = '430821'`).Scan(&n)
		if n != 4 {
			t.Fatalf("%d org units imported, want 4", n)
		}
		// The GBK staff sheet with 手机 and 所属乡镇.
		importSheet(t, c, "people", "人员.csv", staff, "赵零阳", "零阳街道", "副科级")
		h := handout(t, c, "")
		if len(h) != 4 || h["13907440003"] == "" {
			t.Fatalf("hand-out list after the import: %v", h)
		}
		var role, region, title, rank string
		env.App.DB.R.QueryRow(`SELECT role, region, title, rank FROM users WHERE username = '13907440004'`).Scan(&role, &region, &title, &rank)
		if role != "township" || region != "430821001000" || title != "副主任" || rank != "" {
			t.Fatalf("赵零阳 imported as %s of %s, 职务 %q, 职级 %q", role, region, title, rank)
		}
		// A second import of the same sheet: every account already there is named.
		status, page = uploadSheet(t, c, "/setup/import/people", "人员.csv", staff)
		if m := commitRe.FindStringSubmatch(page); m != nil {
			status, _, page = c.Form(m[1], nil)
		}
		if status != http.StatusUnprocessableEntity || strings.Count(page, "该用户名已被使用") != 4 {
			t.Fatalf("the same staff again: %d, want 422 naming the four taken usernames: %.1200s", status, page)
		}
	})
}
