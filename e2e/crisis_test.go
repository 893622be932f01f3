package e2e

import (
	"strconv"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// A township officer records a patrol of 朱家坡 on a 375 px phone; the patrol heads the
// point's list. A village cadre of 凤鹤山村, on a phone at the 三合镇 checkpoint,
// registers a car whose driver reads 37.5 °C; the command is alerted.
func TestPatrolAndCheckpointOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	db := env.App.DB.R
	var point int64
	var officer string
	db.QueryRow(`SELECT h.id, u.username FROM hazard_points h JOIN users u ON u.role = 'township' AND u.region = h.township WHERE h.name = '朱家坡'`).Scan(&point, &officer)

	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, officer, apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/hazard-points/"+strconv.FormatInt(point, 10)),
		chromedp.WaitVisible(chromedp.CSS(`#patrol-form`)),
	)
	formWidth := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "patrol-375")
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#patrol-form textarea[name=finding]`), "坡体后缘裂缝未扩大，危房户已撤离"),
		chromedp.Click(chromedp.CSS(`#patrol-form input[name=danger]`)),
	)
	submit(t, ctx, `#patrol-form button[type=submit]`, `.flash`)
	first := Text(t, ctx, "#patrols tbody tr")
	pageWidth := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	if formWidth > 375 || pageWidth > 375 {
		t.Errorf("the patrol page is %d px and %d px wide on a 375 px phone", formWidth, pageWidth)
	}
	if !strings.Contains(first, "危房户已撤离") || !strings.Contains(first, "发现险情") {
		t.Errorf("the newest patrol row: %q", first)
	}

	var cp int64
	var cadre string
	db.QueryRow(`SELECT c.id FROM checkpoints c JOIN regions r ON r.code = c.township WHERE r.name = '三合镇'`).Scan(&cp)
	db.QueryRow(`SELECT u.username FROM users u JOIN regions r ON r.code = u.region WHERE u.role = 'village' AND r.name = '凤鹤山村'`).Scan(&cadre)
	var before int
	db.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity = 'checkpoint_entries'`).Scan(&before)
	phone := Browser(t)
	Do(t, phone, Phone())
	Login(t, phone, env.URL, cadre, apptest.Password)
	Do(t, phone,
		chromedp.Navigate(env.URL+"/checkpoints/"+strconv.FormatInt(cp, 10)),
		chromedp.WaitVisible(chromedp.CSS(`#entry-form`)),
		chromedp.SendKeys(chromedp.CSS(`#entry-form input[name=plate]`), "鄂A12345"),
		chromedp.SendKeys(chromedp.CSS(`#entry-form input[name=name]`), "赵六"),
		chromedp.SendKeys(chromedp.CSS(`#entry-form input[name=id_number]`), "11010519491231002X"),
		chromedp.SendKeys(chromedp.CSS(`#entry-form input[name=phone]`), "13812345678"),
		chromedp.SendKeys(chromedp.CSS(`#entry-form input[name=origin]`), "湖北省"),
		chromedp.SendKeys(chromedp.CSS(`#entry-form input[name=temperature]`), "37.5"),
	)
	submit(t, phone, `#entry-form button[type=submit]`, `.flash`)
	flash := Text(t, phone, ".flash")
	row := Text(t, phone, "#entries tbody tr")
	width := Eval[int](t, phone, `document.documentElement.scrollWidth`)
	Screenshot(t, phone, "checkpoint-375")
	var after int
	db.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity = 'checkpoint_entries'`).Scan(&after)
	if width > 375 {
		t.Errorf("the checkpoint page is %d px wide on a 375 px phone", width)
	}
	if !strings.Contains(flash, "体温异常") || !strings.Contains(row, "37.5") || !strings.Contains(row, "110105********002X") {
		t.Errorf("after registering: flash %q, row %q", flash, row)
	}
	if after <= before {
		t.Errorf("no alert for a fever")
	}
}
