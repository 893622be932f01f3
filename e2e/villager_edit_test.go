package e2e

import (
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// A village cadre on a phone adds a villager with a wrong phone and a typo in the name,
// corrects both and the poor-household flag from the contact list, then takes the
// villager off the list when they move away, after a confirmation; the list offers the
// export. Every page fits 375 px.
func TestVillageCadreCorrectsAndRemovesAVillagerOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "village001", apptest.Password)
	fits := func(what string) {
		t.Helper()
		if w := Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
			t.Errorf("%s is %d px wide on a 375 px phone", what, w)
		}
	}
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/broadcasts"),
		chromedp.WaitVisible(chromedp.CSS(`#villagers input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`#villagers input[name=name]`), "张小年"),
		chromedp.SendKeys(chromedp.CSS(`#villagers input[name=phone]`), "13974419901"),
	)
	submit(t, ctx, `#villagers form[action="/villagers"] button[type=submit]`, `#villager-list`)
	// On a long list the cadre finds him by the phone's last four digits.
	Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#villager-search input[name=vq]`), "9901"))
	submit(t, ctx, `#villager-search button[type=submit]`, `#villager-list`)
	if list := Text(t, ctx, "#villager-list"); !strings.Contains(list, "张小年") || strings.Count(list, "修改") != 1 {
		t.Errorf("searching 9901 shows %q, want 张小年 alone", list)
	}
	href := Eval[string](t, ctx, `[...document.querySelectorAll('#villager-list li')].filter(li => li.textContent.includes('张小年')).map(li => li.querySelector('a.villager-edit').getAttribute('href'))[0] || ''`)
	if !strings.HasSuffix(href, "/edit") {
		t.Fatalf("the contact list has no edit link for 张小年 (%q)", href)
	}
	if got := Eval[string](t, ctx, `document.querySelector('#villager-export').getAttribute('href')`); got != "/villagers/export.xlsx" {
		t.Errorf("the contact list links the export %q", got)
	}
	answer := Get(t, ctx, chromedp.Evaluate[string](`fetch('/villagers/export.xlsx').then(r => r.status + ' ' + r.headers.get('Content-Type'))`, chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(answer, "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
		t.Errorf("the export answers %q", answer)
	}
	fits("the contact list")
	Screenshot(t, ctx, "village-villagers-list-375")

	Do(t, ctx, chromedp.Click(chromedp.CSS(`#villager-list a[href="`+href+`"]`)), chromedp.WaitVisible(chromedp.CSS(`#villager-edit`)))
	if meta := Text(t, ctx, "main .meta"); !strings.Contains(meta, "139****9901") {
		t.Errorf("the form shows the phone as %q, want it masked", meta)
	}
	// A wrong number first: the form says which field and keeps what was typed.
	clear := func(css string) { Eval[bool](t, ctx, `(document.querySelector('`+css+`').value = '') === ''`) }
	clear(`#villager-edit input[name=name]`)
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#villager-edit input[name=name]`), "张晓年"),
		chromedp.SendKeys(chromedp.CSS(`#villager-edit input[name=phone]`), "1397441991"),
		chromedp.Click(chromedp.CSS(`#villager-edit input[name=poor]`)),
	)
	submit(t, ctx, `#villager-edit button[type=submit]`, `#villager-edit .field-error`)
	if msg := Text(t, ctx, "#villager-edit .field-error"); !strings.Contains(msg, "手机号") {
		t.Errorf("a short phone is refused with %q, want the field named", msg)
	}
	fits("the refused form")
	Screenshot(t, ctx, "village-villager-edit-error-375")
	clear(`#villager-edit input[name=phone]`)
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#villager-edit input[name=phone]`), "13974419911"),
	)
	submit(t, ctx, `#villager-edit button[type=submit]`, `#villager-list`)
	list := Text(t, ctx, "#villager-list")
	if !strings.Contains(list, "张晓年") || !strings.Contains(list, "139****9911") || strings.Contains(list, "张小年") {
		t.Errorf("after the correction the list shows %q", list)
	}
	if flash := Text(t, ctx, "body"); !strings.Contains(flash, "已保存村民信息") {
		t.Errorf("no word that the correction was saved")
	}

	Do(t, ctx, chromedp.Click(chromedp.CSS(`#villager-list a[href="`+href+`"]`)), chromedp.WaitVisible(chromedp.CSS(`#villager-retire-link`)))
	fits("the edit form")
	Screenshot(t, ctx, "village-villager-edit-375")
	Do(t, ctx, chromedp.Click(chromedp.CSS(`#villager-retire-link`)), chromedp.WaitVisible(chromedp.CSS(`#villager-retire-form`)))
	if q := Text(t, ctx, "#villager-retire-form"); !strings.Contains(q, "确认将张晓年（139****9911") {
		t.Errorf("the confirmation asks %q", q)
	}
	fits("the confirmation")
	Screenshot(t, ctx, "village-villager-retire-375")
	submit(t, ctx, `#villager-retire-form button[type=submit]`, `#villager-list`)
	if list := Text(t, ctx, "#villagers"); strings.Contains(list, "张晓年") {
		t.Errorf("after the removal the list still shows 张晓年: %q", list)
	}
	if body := Text(t, ctx, "body"); !strings.Contains(body, "已移出村民通讯录") {
		t.Errorf("no word that the villager was taken off")
	}
}
