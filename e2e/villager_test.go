package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// A village cadre on a phone imports the village's contact list from the spreadsheet
// LibreOffice saved (preview masked, then all rows), and undoes a villager's opt-out with
// a note of how they asked.
func TestVillageCadreImportsVillagersAndUndoesAnOptOutOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	file, err := filepath.Abs(filepath.Join("..", "xlsx", "testdata", "office", "villagers.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "village001", apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/broadcasts"),
		chromedp.WaitVisible(chromedp.CSS(`#villager-import`)),
		chromedp.Click(chromedp.CSS(`#villager-import`)),
		chromedp.WaitVisible(chromedp.CSS(`#villager-upload`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#villager-upload input[type=file]`), []string{file}),
	)
	submit(t, ctx, `#villager-upload button[type=submit]`, `#import-preview`)
	preview := Text(t, ctx, "#import-preview")
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "village-villagers-preview-375")
	if !strings.Contains(preview, "覃大春") || !strings.Contains(preview, "139****0101") {
		t.Errorf("the preview shows %q, want 覃大春 masked", preview)
	}
	if width > 375 {
		t.Errorf("the preview is %d px wide on a 375 px phone", width)
	}
	submit(t, ctx, `#villager-confirm button[type=submit]`, `#villagers`)
	if list := Text(t, ctx, "#villagers"); !strings.Contains(list, "向红梅") {
		t.Errorf("after the import the contact list shows %q", list)
	}

	Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#optouts input[name=optout_phone]`), "13974410103"))
	submit(t, ctx, `#optouts form[action="/broadcasts/optouts"] button[type=submit]`, `#optout-list`)
	if list := Text(t, ctx, "#optout-list"); !strings.Contains(list, "139****0103") {
		t.Fatalf("the opt-out list shows %q", list)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#optin summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#optin input[name=optin_phone]`)),
		chromedp.SendKeys(chromedp.CSS(`#optin input[name=optin_phone]`), "13974410103"),
		chromedp.SendKeys(chromedp.CSS(`#optin input[name=optin_note]`), "本人到村部要求恢复接收"),
	)
	Screenshot(t, ctx, "village-optout-undo-375")
	submit(t, ctx, `#optin button[type=submit]`, `#optout-list`)
	list := Text(t, ctx, "#optout-list")
	width = Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	if strings.Contains(list, "139****0103") {
		t.Errorf("after the undo the opt-out list still shows %q", list)
	}
	if width > 375 {
		t.Errorf("the broadcasts page is %d px wide on a 375 px phone", width)
	}
}
