package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// A village cadre on a phone registers a job seeker, phone first, and sees them masked.
func TestVillageCadreRegistersASeekerOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	id := "43082119920708123" + string(fugong.IDNumberCheckChar("43082119920708123"))

	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "village001", apptest.Password)
	MenuTo(t, ctx, "/job-seekers")
	Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#seeker-new`)),
		chromedp.Click(chromedp.CSS(`#seeker-new`)),
		chromedp.WaitVisible(chromedp.CSS(`#seeker-form`)),
	)
	// The phone is the first field a cadre fills.
	first := Eval[string](t, ctx, `document.querySelector('#seeker-form input:not([type=hidden])').name`)
	formWidth := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "village-seeker-form-375")
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=phone]`), "13900003333"),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "张三"),
		chromedp.SendKeys(chromedp.CSS(`input[name=id_number]`), id),
		chromedp.SendKeys(chromedp.CSS(`input[name=skills]`), "电工、焊工"),
		chromedp.SendKeys(chromedp.CSS(`input[name=wanted]`), "普工"),
		chromedp.Click(chromedp.CSS(`input[name=poor]`)),
	)
	submit(t, ctx, `#seeker-form button[type=submit]`, `#seeker-facts`)
	phone := Text(t, ctx, "#seeker-phone")
	idShown := Text(t, ctx, "#seeker-id-number")
	title := Text(t, ctx, "main h1")
	matches := Eval[int](t, ctx, `document.querySelectorAll('#match-list li').length`)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "village-seeker-375")

	if first != "phone" {
		t.Errorf("the form's first field is %q, want phone", first)
	}
	if phone != "139****3333" || idShown != fugong.MaskIDNumber(id) {
		t.Errorf("the seeker page shows %q and %q; want both masked", phone, idShown)
	}
	if !strings.Contains(title, "张三") || !strings.Contains(title, "贫困户") {
		t.Errorf("heading %q should name the seeker and the poor-household flag", title)
	}
	if matches == 0 {
		t.Errorf("no postings suggested for the new seeker")
	}
	var village, age string
	env.App.DB.R.QueryRow(`SELECT s.village, CAST(s.age AS TEXT) FROM job_seekers s WHERE s.name = '张三'`).Scan(&village, &age)
	var want string
	env.App.DB.R.QueryRow(`SELECT region FROM users WHERE username = 'village001'`).Scan(&want)
	if village != want || age != "27" {
		t.Errorf("stored village %s age %s; want the cadre's village %s and age 27 from the ID number", village, age, want)
	}
	if formWidth > 375 || width > 375 {
		t.Errorf("the pages are %d and %d px wide on a 375 px phone: they scroll sideways", formWidth, width)
	}
	// The cadre's other pages, and the public board a villager opens from a text message.
	for _, path := range []string{"/workshops", "/broadcasts", "/employment", "/jobs", "/jobs/1", "/jobs/bulletin"} {
		Do(t, ctx, chromedp.Navigate(env.URL+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if w := Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
			t.Errorf("%s is %d px wide on a 375 px phone", path, w)
		}
		Screenshot(t, ctx, "village"+strings.ReplaceAll(path, "/", "-")+"-375")
	}
}

// A village cadre on a phone imports the job-seekers ledger a colleague saved with Excel
// for Mac (dates counted from 1904): the preview is masked and carries no file, the
// import registers the days typed; a bad ledger names each bad cell once.
func TestVillageCadreImportsAMacExcelLedgerOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	good, err := filepath.Abs(filepath.Join("..", "xlsx", "testdata", "excel", "job-seekers-mac1904.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "求职登记.csv")
	os.WriteFile(bad, []byte("姓名,身份证号,手机号\n周一,4.30821198903150E+17,13900003001\n"), 0o600)

	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "village001", apptest.Password)
	upload := func(file string) {
		Do(t, ctx,
			chromedp.Navigate(env.URL+"/job-seekers/import"),
			chromedp.WaitVisible(chromedp.CSS(`input[name=file]`)),
			chromedp.SetUploadFiles(chromedp.CSS(`main input[name=file]`), []string{file}),
		)
		submit(t, ctx, `main form button[type=submit]`, `main h1`)
	}
	upload(bad)
	Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.alert li`)))
	errs := Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('.alert li')).map(li => li.textContent)`)
	Screenshot(t, ctx, "village-seeker-import-bad-375")
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "第 2 行 · 身份证号：该格是数字 4.30821198903150E+17") {
		t.Errorf("the bad cells said: %q; want 第 2 行 · 身份证号 once", errs)
	}

	upload(good)
	Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#import-preview`)))
	html := Eval[string](t, ctx, `document.documentElement.outerHTML`)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "village-seeker-import-preview-375")
	if strings.Contains(html, "430821198903150045") || strings.Contains(html, "payload") {
		t.Error("the preview carries an ID number in clear or the file")
	}
	if width > 375 {
		t.Errorf("the preview is %d px wide on a 375 px phone", width)
	}
	submit(t, ctx, `form input[name=token] ~ button`, `.flash`)
	var available string
	env.App.DB.R.QueryRow(`SELECT available FROM job_seekers WHERE name = '周一'`).Scan(&available)
	if available != "2020-03-16" {
		t.Errorf("周一 available from %q, want 2020-03-16 (the Mac ledger's 1904 date)", available)
	}
}
