package app_test

import (
	"image"
	_ "image/png"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"fugong/app"
	"fugong/app/apptest"
)

// getAs GETs path through c's session with the Host header a client chose.
func getAs(t *testing.T, env *apptest.Env, c *apptest.Client, path, host, lang string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", env.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	req.Header.Set("X-Forwarded-Proto", "http")
	req.Header.Set("Accept-Language", lang)
	// The session's cookies by hand: a client's jar would pick them by the forged host.
	for _, ck := range c.HTTP.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// scanQR reads the PNG answered to path as a phone's camera would and returns the link.
func scanQR(t *testing.T, env *apptest.Env, c *apptest.Client, path string) string {
	t.Helper()
	res := getAs(t, env, c, path, "evil.example", "en")
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("%s: %d %s %s", path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Location"))
	}
	img, _, err := image.Decode(res.Body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	got, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("%s does not scan: %v", path, err)
	}
	return got.GetText()
}

// The QR codes printed on posters and job pages carry the configured public address —
// https kept, whatever Host header the request that printed them sent — and the poster
// speaks the county's language; without a configured address no code is printed.
func TestQRCodesCarryThePublicURL(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	ent := env.Login(t, "enterprise001")
	id := strconv.FormatInt(enterpriseOf(t, env, "enterprise001"), 10)
	want := apptest.PublicURL + "/e/" + id
	res := getAs(t, env, ent, "/enterprises/"+id+"/qr", "evil.example", "en")
	b := new(strings.Builder)
	if _, err := io.Copy(b, res.Body); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	page := b.String()
	if !strings.Contains(page, `href="`+want+`"`) || strings.Contains(page, "evil.example") {
		t.Errorf("the poster does not link to %s", want)
	}
	if !strings.Contains(page, "扫描二维码") {
		t.Errorf("the poster printed from an English browser is not in the county's language")
	}
	if got := scanQR(t, env, ent, "/enterprises/"+id+"/qr.png"); got != want {
		t.Errorf("the poster's code scans as %q, want %q", got, want)
	}
	var job int64
	if err := env.App.DB.R.QueryRow(`SELECT id FROM job_postings WHERE closed = FALSE AND posted_on <= '2020-03-09' AND valid_until >= '2020-03-09' ORDER BY id LIMIT 1`).Scan(&job); err != nil {
		t.Fatal(err)
	}
	jobPath := "/jobs/" + strconv.FormatInt(job, 10)
	if got := scanQR(t, env, env.Anonymous(t), jobPath+"/qr.png"); got != apptest.PublicURL+jobPath {
		t.Errorf("the job's code scans as %q, want %q", got, apptest.PublicURL+jobPath)
	}

	bare := apptest.New(t, "sqlite", apptest.Options{Configure: func(c *app.Config) { c.PublicURL = "" }})
	ent = bare.Login(t, "enterprise001")
	if _, page := ent.Page("/enterprises/" + id + "/qr"); !strings.Contains(page, `id="no-public-url"`) || strings.Contains(page, "qr.png") {
		t.Errorf("without a public URL the poster does not say it is not configured")
	}
	if res := getAs(t, bare, ent, "/enterprises/"+id+"/qr.png", "evil.example", "zh"); res.StatusCode != http.StatusConflict {
		t.Errorf("a code without a public URL: %d", res.StatusCode)
	}
	if _, page := bare.Anonymous(t).Page(jobPath); strings.Contains(page, "qr.png") {
		t.Errorf("the job page shows a code that cannot be printed")
	}
}
