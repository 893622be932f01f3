package e2e

import (
	"context"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/auth"

	"github.com/chromedp/chromedp"
)

// Hunan's command logs in on a desktop, lands on its counties, reads the demo county's
// line, opens the demand figures by county, and its menu offers no county's records (its
// own inbox and password aside).
func TestProvinceReadsItsCounties(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	h, err := auth.HashPassword(apptest.Password)
	if err != nil {
		t.Fatal(err)
	}
	u := fugong.User{Username: "hunan", DisplayName: "湖南省指挥部", Role: fugong.RoleProvince, County: "430000", Region: "430000"}
	if err := env.App.DB.CreateUser(fugong.WithActor(context.Background(), fugong.Actor{Username: "test"}), &u, h); err != nil {
		t.Fatal(err)
	}
	ctx := Browser(t)
	Do(t, ctx, Desktop())
	Login(t, ctx, env.URL, "hunan", apptest.Password)
	Do(t, ctx, chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#province`)))
	row := Text(t, ctx, `#province tr:nth-child(2)`)
	var enterprises string
	env.App.DB.R.QueryRow(`SELECT CAST(COUNT(*) AS TEXT) FROM enterprises WHERE workshop = FALSE`).Scan(&enterprises)
	if !strings.Contains(row, "慈利县") || !strings.Contains(row, enterprises) {
		t.Errorf("the county's line reads %q; want 慈利县 with %s enterprises", row, enterprises)
	}
	Screenshot(t, ctx, "province-desktop")
	menu := Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('nav a')).map(a => a.getAttribute('href'))`)
	for _, href := range menu {
		if href != "/" && !strings.HasPrefix(href, "/province") && href != "/password" && href != "/notifications" {
			t.Errorf("the province's menu offers %s", href)
		}
	}
	Do(t, ctx, chromedp.Navigate(env.URL+"/province/demands?by=county"), chromedp.WaitVisible(chromedp.CSS(`#stats`)))
	if got := Text(t, ctx, `#stats tr:nth-child(2) td:first-child`); got != "慈利县" {
		t.Errorf("demand figures by county: first line %q", got)
	}
	// The medians, read from the minutes kept per day, in the tiles and on each county's line.
	if got := Text(t, ctx, `#stat-response-median`); !strings.HasSuffix(got, "分钟") {
		t.Errorf("province's median response time: %q", got)
	}
	if got := Text(t, ctx, `#stats tr:nth-child(2) td:nth-child(9)`); !strings.HasSuffix(got, "分钟") {
		t.Errorf("慈利县's median solution time: %q", got)
	}
	Screenshot(t, ctx, "province-demands-desktop")
}
