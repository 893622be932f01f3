package app_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"fugong/app/apptest"
	"fugong/xlsx"
)

// A county's villages come from the office's own sheet, in Chinese: the regions page links
// an .xlsx template whose code columns are text (twelve digits stay twelve) and whose level
// is a drop-down of 乡镇（街道）and 村（社区）. Filled in, saved by LibreOffice, or saved as a GBK
// CSV with Chinese headers, it imports; a bad cell is named by the sheet's own header.
func TestRegionsImportedFromTheOfficesChineseSheet(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var town string
		env.App.DB.R.QueryRow(`SELECT code FROM regions WHERE level = 'township' ORDER BY code LIMIT 1`).Scan(&town)
		if len(town) != 12 {
			t.Fatalf("the demo has no township: %q", town)
		}
		c := env.Login(t, "admin")
		if status, body := c.Page("/regions"); status != http.StatusOK || !strings.Contains(body, `href="/regions/template.xlsx"`) {
			t.Fatalf("the regions page (%d) does not link its .xlsx template", status)
		}
		res := c.Do("GET", "/regions/template.xlsx", "", nil, nil)
		var tmpl bytes.Buffer
		tmpl.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != xlsx.ContentType {
			t.Fatalf("template: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		checkTemplateFormats(t, "regions", tmpl.Bytes())
		count := func(codes ...string) int {
			t.Helper()
			n := 0
			for _, code := range codes {
				var name, level string
				if err := env.App.DB.R.QueryRow(`SELECT name, level FROM regions WHERE code = $1`, code).Scan(&name, &level); err == nil && level == "village" && strings.HasPrefix(name, "模板") {
					n++
				}
			}
			return n
		}
		upload := func(name string, body []byte) (int, string) {
			t.Helper()
			return uploadTo(t, c, "/regions/import", name, body)
		}

		// Filled in below the header, as typed: twelve digits into the text columns.
		a, b := town[:9]+"901", town[:9]+"902"
		filled := fillTemplate(t, tmpl.Bytes(), []map[string]any{
			{"区划代码": a, "名称": "模板甲村", "上级区划代码": town, "级别": "村（社区）"},
			{"区划代码": b, "名称": "模板乙社区", "上级区划代码": town, "级别": "社区"},
		})
		if dir := os.Getenv("FUGONG_TEMPLATE_FIXTURES"); dir != "" && env.Dialect == "sqlite" {
			os.WriteFile(filepath.Join(dir, "regions.xlsx"), fillTemplate(t, tmpl.Bytes(), []map[string]any{
				{"区划代码": town[:9] + "903", "名称": "模板庚村", "上级区划代码": town, "级别": "村（社区）"},
				{"区划代码": town[:9] + "904", "名称": "模板辛村", "上级区划代码": town, "级别": "村（社区）"},
			}), 0o644)
		}
		if status, page := upload("村.xlsx", filled); status != http.StatusSeeOther || count(a, b) != 2 {
			t.Fatalf("the filled template: %d, %d villages written, want 303 and 2: %.600s", status, count(a, b), page)
		}
		if os.Getenv("FUGONG_TEMPLATE_FIXTURES") != "" {
			return // making the fixtures: LibreOffice has not saved them yet
		}
		// The same, filled by the test and saved again by LibreOffice Calc (make.sh), with
		// codes of its own: 903 and 904 under the demo's first township.
		lo := officeFile(t, "templates/regions.xlsx")
		if status, page := upload("regions.xlsx", lo); status != http.StatusSeeOther || count(town[:9]+"903", town[:9]+"904") != 2 {
			t.Fatalf("LibreOffice's filled template: %d: %.600s", status, page)
		}
		// A GBK CSV with the Chinese headers, as a spreadsheet saves 'CSV (逗号分隔)'.
		c1, c2 := town[:9]+"905", town[:9]+"906"
		csv := "区划代码,名称,上级区划代码,级别\r\n" + c1 + ",模板丙村," + town + ",村\r\n" + c2 + ",模板丁村," + town + ",村（社区）\r\n"
		gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv)
		if err != nil {
			t.Fatal(err)
		}
		if status, page := upload("村.csv", []byte(gbk)); status != http.StatusSeeOther || count(c1, c2) != 2 {
			t.Fatalf("a GBK CSV with Chinese headers: %d, %d written: %.600s", status, count(c1, c2), page)
		}
		// A level the import does not know is named by the sheet's header; nothing is written.
		bad := "区划代码,名称,上级区划代码,级别\r\n" + town[:9] + "907,模板戊村," + town + ",村\r\n" + town[:9] + "908,模板己村," + town + ",组\r\n"
		status, page := upload("村.csv", []byte(bad))
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "第 3 行 · 级别") || count(town[:9]+"907") != 0 {
			t.Fatalf("a bad level: %d, want 422 naming 第 3 行 · 级别 and nothing written: %.1500s", status, page)
		}
		// Headers it does not know: the message says which it wants, in Chinese.
		status, page = upload("村.csv", []byte("编号,村名\r\n1,模板村\r\n"))
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "区划代码、名称、上级区划代码、级别") {
			t.Fatalf("unknown headers: %d: %.1500s", status, page)
		}
	})
}
