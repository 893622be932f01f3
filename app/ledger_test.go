package app_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/demo"
	"fugong/xlsx"
)

// upload posts a file to a ledger's upload form and returns the status and page.
func upload(t *testing.T, c *apptest.Client, kind, name string, body []byte) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", c.CSRF)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(body)
	mw.Close()
	res := c.Do("POST", "/ledgers/"+kind+"/upload", mw.FormDataContentType(), &b, nil)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, string(page)
}

var enterpriseHeaders = []string{"企业名称", "统一社会信用代码", "乡镇", "重点领域", "规上企业", "在册员工", "月租金（元）"}

// An import with bad rows writes nothing and names every bad row and column; a clean one
// is previewed, then committed whole.
func TestEnterpriseImportAllOrNothing(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var town string
		env.App.DB.R.QueryRow(`SELECT name FROM regions WHERE level = 'township' ORDER BY code LIMIT 1`).Scan(&town)
		var existing string
		env.App.DB.R.QueryRow(`SELECT uscc FROM enterprises ORDER BY id LIMIT 1`).Scan(&existing)
		good1, good2 := demo.USCC(demo.County, 9101, false), demo.USCC(demo.County, 9102, false)
		broken := good2[:17] + map[bool]string{true: "1", false: "0"}[good2[17] == '0']
		rows := [][]any{
			{"慈利导入一号有限公司", good1, town, "园区企业", "是", "50", "1200.50"},
			{"慈利导入二号有限公司", broken, town, "园区企业", "否", "二十", ""},
			{"", good2, "不存在镇", "工厂", "也许", "10", "abc"},
			{"慈利导入重复有限公司", good1, town, "园区企业", "否", "5", ""},
		}
		book, err := xlsx.Build("企业台账", enterpriseHeaders, rows)
		if err != nil {
			t.Fatal(err)
		}
		var before int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&before)
		c := env.Login(t, "command")
		status, page := upload(t, c, "enterprises", "企业台账.xlsx", book)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("bad ledger: %d, want 422", status)
		}
		for _, want := range []string{
			"第 3 行 · 统一社会信用代码", "第 3 行 · 在册员工",
			"第 4 行 · 企业名称", "第 4 行 · 乡镇", "第 4 行 · 重点领域", "第 4 行 · 规上企业", "第 4 行 · 月租金（元）",
			"第 5 行 · 统一社会信用代码：与第 2 行重复",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the preview does not name %q", want)
			}
		}
		if strings.Contains(page, "第 2 行 ·") {
			t.Errorf("the good row 2 is named as bad")
		}
		var after int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&after)
		if after != before {
			t.Fatalf("a bad ledger wrote %d enterprises", after-before)
		}

		// A clean CSV: one new enterprise, one update of an existing one.
		var b bytes.Buffer
		b.WriteString("\ufeff")
		w := csv.NewWriter(&b)
		w.Write(enterpriseHeaders)
		w.Write([]string{"慈利导入一号有限公司", good1, town, "园区企业", "是", "50", "1200.50"})
		w.Write([]string{"慈利改名企业有限公司", existing, town, "工矿企业", "否", "77", ""})
		w.Flush()
		status, page = upload(t, c, "enterprises", "ledger.csv", b.Bytes())
		m := regexp.MustCompile(`/ledgers/uploads/([0-9a-f]+)/commit`).FindStringSubmatch(page)
		if status != http.StatusOK || m == nil {
			t.Fatalf("clean ledger: %d, no commit button", status)
		}
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&after)
		if after != before {
			t.Fatalf("the preview wrote before the commit")
		}
		if status, _, _ := c.Form("/ledgers/uploads/"+m[1]+"/commit", nil); status != http.StatusSeeOther {
			t.Fatalf("commit: %d", status)
		}
		var rent int64
		var name string
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&after)
		env.App.DB.R.QueryRow(`SELECT monthly_rent FROM enterprises WHERE uscc = $1`, good1).Scan(&rent)
		env.App.DB.R.QueryRow(`SELECT name FROM enterprises WHERE uscc = $1`, existing).Scan(&name)
		if after != before+1 || rent != 120050 || name != "慈利改名企业有限公司" {
			t.Errorf("after commit: %d new, rent %d fen, name %q", after-before, rent, name)
		}
		// Another user cannot commit someone else's upload.
		other := env.Login(t, "admin")
		if status, _, _ := other.Form("/ledgers/uploads/"+m[1]+"/commit", nil); status != http.StatusNotFound {
			t.Errorf("someone else's upload: %d, want 404", status)
		}
	})
}

// A township officer sees only their township: in the statistics, the key projects, the
// API and the exports.
func TestTownshipScopeInPagesAPIAndExports(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var town, townName string
		env.App.DB.R.QueryRow(`SELECT u.region, r.name FROM users u JOIN regions r ON r.code = u.region WHERE u.username = 'township01'`).Scan(&town, &townName)
		var mine, projects int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE township = $1`, town).Scan(&mine)
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM key_projects WHERE township = $1`, town).Scan(&projects)

		c := env.Login(t, "township01")
		res := c.Do("GET", "/ledgers/enterprises/export?format=csv", "", nil, nil)
		recs, err := csv.NewReader(res.Body).ReadAll()
		res.Body.Close()
		if err != nil || len(recs) != mine+1 {
			t.Fatalf("CSV export: %d rows (%v), want %d and the header", len(recs)-1, err, mine)
		}
		for _, r := range recs[1:] {
			if r[2] != townName {
				t.Fatalf("township01's export holds an enterprise of %s", r[2])
			}
			if strings.Count(r[12], "*") == 0 {
				t.Fatalf("the export shows a phone number in clear: %s", r[12])
			}
		}
		res = c.Do("GET", "/ledgers/projects/export", "", nil, nil)
		sheet, err := xlsx.ReadXLSX(res.Body)
		res.Body.Close()
		if err != nil || len(sheet.Rows) != projects {
			t.Fatalf("xlsx export of projects: %d rows (%v), want %d", len(sheet.Rows), err, projects)
		}
		for _, r := range sheet.Rows {
			if r.Get("乡镇") != townName {
				t.Fatalf("township01's project export holds one of %s", r.Get("乡镇"))
			}
		}
		api := env.APIClient(t, "township01")
		_, body := api.JSON("GET", "/api/v1/stats/resumption?date=2020-03-09", nil)
		var nonWorkshop int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE township = $1 AND workshop = FALSE`, town).Scan(&nonWorkshop)
		if !strings.HasPrefix(string(body), `{"date":"2020-03-09","total":`+itoa(int64(nonWorkshop))+`,`) {
			t.Errorf("township01's statistics: %.80s; the township has %d enterprises", body, nonWorkshop)
		}
		var otherProject int64
		env.App.DB.R.QueryRow(`SELECT id FROM key_projects WHERE township <> $1 ORDER BY id LIMIT 1`, town).Scan(&otherProject)
		if status, _ := c.Page("/projects/" + itoa(otherProject)); status != http.StatusNotFound {
			t.Errorf("another township's project page: %d, want 404", status)
		}
		if status, _ := api.JSON("GET", "/api/v1/key-projects/"+itoa(otherProject), nil); status != http.StatusNotFound {
			t.Errorf("another township's project in the API: %d, want 404", status)
		}
		// A liaison may not export the ledgers at all.
		if status, _ := env.Login(t, "liaison001").Page("/ledgers/enterprises/export"); status != http.StatusForbidden {
			t.Errorf("a liaison exported the ledger: %d", status)
		}
	})
}
