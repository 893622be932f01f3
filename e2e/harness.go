// Package e2e drives the journeys users take through a real headless Chromium
// (Debian's chromium, driven with chromedp) against a whole fugong on 127.0.0.1.
package e2e

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath finds the browser: FUGONG_CHROMIUM, else chromium on the PATH. Without one,
// a test fails under CI=true and is skipped elsewhere.
func ChromiumPath(t testing.TB) string {
	t.Helper()
	p := os.Getenv("FUGONG_CHROMIUM")
	if p == "" {
		p, _ = exec.LookPath("chromium")
	}
	if p == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but no Chromium: install Debian's chromium or set FUGONG_CHROMIUM")
		}
		t.Skip("no Chromium (set FUGONG_CHROMIUM)")
	}
	return p
}

// Browser starts a headless Chromium for one test and returns a tab's context, which
// ends after 90 seconds.
func Browser(t testing.TB) context.Context {
	t.Helper()
	return BrowserFor(t, 90*time.Second)
}

// BrowserFor is Browser for a longer journey: its context ends after d.
func BrowserFor(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	// The first action starts the browser and must run on a context without a deadline.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelB()
		cancelA()
		t.Fatalf("start chromium: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelT(); cancelB(); cancelA() })
	return tctx
}

// Step is an action that returns nothing.
type Step = chromedp.Action[chromedp.Void]

// Phone is a 375 px wide phone screen.
func Phone() Step {
	return chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
}

// Desktop is a 1366 px wide office screen.
func Desktop() Step { return chromedp.EmulateViewport(1366, 900) }

// Do runs steps in order, failing the test at the first error.
func Do(t testing.TB, ctx context.Context, steps ...Step) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// Get runs one action that returns a value, failing the test on error.
func Get[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Text returns the visible text of the first element matching a CSS selector.
func Text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	return Get(t, ctx, chromedp.Text(chromedp.CSS(css)))
}

// Eval evaluates a JavaScript expression in the page.
func Eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	return Get(t, ctx, chromedp.Evaluate[T](js))
}

// Login fills and sends the login form as a person would.
func Login(t testing.TB, ctx context.Context, base, username, password string) {
	t.Helper()
	Do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), username),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`header.top .who`)),
	)
}

// Screenshot saves a full-page PNG when FUGONG_SCREENSHOTS names a folder, for a person
// to look at.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("FUGONG_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.WriteFile(dir+"/"+name+".png", Get(t, ctx, chromedp.FullScreenshot(100)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// MenuTo opens the menu and the group holding href, as a person taps through them, and
// follows the link.
func MenuTo(t testing.TB, ctx context.Context, href string) {
	t.Helper()
	link := `details.menu nav a[href="` + href + `"]`
	if !Eval[bool](t, ctx, `document.querySelector('details.menu').open`) {
		Do(t, ctx, chromedp.Click(chromedp.CSS(`details.menu > summary`)))
	}
	group := Eval[bool](t, ctx, `!!document.querySelector('`+link+`').closest('details.navgroup')`)
	if group {
		Do(t, ctx, chromedp.Click(chromedp.CSS(`details.navgroup:has(a[href="`+href+`"]) > summary`)))
	}
	Do(t, ctx, chromedp.Click(chromedp.CSS(link)))
}
