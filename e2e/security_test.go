package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"fugong/app"
	"fugong/app/apptest"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
)

// The command's officer, at a 1440 px desk, logs in for the first time where a second
// factor is required: the password leads to the enrolment page, the code from the app
// enrols, and ten recovery codes are shown once. Later, without the phone, a recovery
// code opens the login instead of a code; the account page then counts nine left, and
// the same recovery code a second time is refused.
func TestSecondFactorEnrolmentAndRecovery(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{Configure: func(c *app.Config) { c.RequireTOTP = true }})
	ctx := Browser(t)
	Do(t, ctx, chromedp.EmulateViewport(1440, 900))
	// Logged out: the browser forgets its cookies, as a shared office PC is cleared.
	forget := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return chromedp.Void{}, err
	}
	password := func() {
		Do(t, ctx,
			forget,
			chromedp.Navigate(env.URL+"/login"),
			chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "command"),
			chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.Password),
			chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		)
	}

	// First login: the enrolment page, with the QR code and the secret.
	password()
	Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#totp-secret`)))
	if path := Eval[string](t, ctx, `location.pathname`); path != "/account/totp" {
		t.Fatalf("the first login leads to %s, want /account/totp", path)
	}
	Screenshot(t, ctx, "totp-enrol-1440")
	secret := Text(t, ctx, `#totp-secret`)
	code, err := totp.GenerateCode(secret, env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=code]`), code),
	)
	submit(t, ctx, `form.form button[type=submit]`, `#recovery-codes`)
	Screenshot(t, ctx, "totp-recovery-codes-1440")
	codes := regexp.MustCompile(`[a-z2-9]{5}-[a-z2-9]{5}`).FindAllString(Text(t, ctx, `#recovery-codes`), -1)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	// The codes' page has the header too: wait for the home itself.
	submit(t, ctx, `a.button.primary[href="/"]`, `main h1`)
	if p := Eval[string](t, ctx, `location.pathname`); p != "/" {
		t.Fatalf("after the recovery codes the button led to %s, want the home", p)
	}

	// Later, the phone left at home: a recovery code instead of the code.
	env.Clock.Advance(time.Hour)
	password()
	Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[action="/login/totp"] input[name=code]`)))
	Screenshot(t, ctx, "totp-login-1440")
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=code]`), codes[3]),
	)
	submit(t, ctx, `form.form button[type=submit]`, `header.top .who`)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/account/totp"),
		chromedp.WaitVisible(chromedp.CSS(`#recovery-left`)),
	)
	if left := Text(t, ctx, `#recovery-left`); !strings.Contains(left, "9") {
		t.Errorf("after one recovery code the account page says %q, want 9 left", left)
	}
	Screenshot(t, ctx, "totp-account-1440")

	// The same recovery code again: refused, with a message.
	password()
	Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login/totp"] input[name=code]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=code]`), codes[3]),
	)
	submit(t, ctx, `form.form button[type=submit]`, `div.alert`)
	if body := Text(t, ctx, `div.alert`); !strings.Contains(body, "已使用过") {
		t.Errorf("a used recovery code: the page says %q", body)
	}
}
