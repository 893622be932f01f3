package app_test

import (
	"html"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/i18n"
)

var (
	hrefRe = regexp.MustCompile(`href="(/[^"#]*)"`)
	// Text a person reads: tag-free, without scripts and styles.
	scriptRe = regexp.MustCompile(`(?s)<(script|style|code|pre)\b.*?</(script|style|code|pre)>`)
	tagRe    = regexp.MustCompile(`(?s)<[^>]*>`)
	// A message key, a Go struct's field or a dotted identifier: health.alert_subject,
	// declaration.approve, nav.g_admin. File names and web addresses are allowed.
	keyRe = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\.[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\b`)
	// What else must not reach a page: Go's formatting of a missing or bad argument, a
	// zero time, raw JSON objects, a time in UTC or in RFC 3339 rather than the county's words.
	// An English identifier in snake_case (in_app, same_day, solve_on_site).
	snakeRe = regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`)
	badRe   = regexp.MustCompile(`%!|0001-01-01|\{"[A-Za-z_]+":|\bUTC\b|[0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]`)
	// A path is crawled at most twice per shape (the digits of ids made one).
	digitsRe = regexp.MustCompile(`[0-9]+`)
	// A web address written out for people to type is not a key.
	urlRe = regexp.MustCompile(`https?://[^\s<>"]+`)
)

// allowed are dotted words that are not keys: file names and web addresses.
func allowed(s string) bool {
	if s == "e.g" || s == "i.e" {
		return true
	}
	for _, suffix := range []string{".xlsx", ".csv", ".png", ".json", ".xml", ".pdf", ".txt", ".js", ".css", ".html"} {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	for _, part := range []string{".com", ".cn", ".org", ".gov", ".net", ".test", "schema.org", "example."} {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

// Every page every role of the demo county can reach from its home and menu, in both
// languages, shows words: no message key, no Go formatting error, no raw JSON.
func TestNoKeyReachesAPage(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	const perRole = 150
	cat := i18n.MustLoad()
	for _, user := range []string{"admin", "command", "leader01", "dept02", "township01", "liaison001", "enterprise001", "village001"} {
		for _, lang := range []string{"zh", "en"} {
			c := env.Login(t, user)
			c.Page("/lang/" + lang + "?next=/")
			seen := map[string]bool{}
			shapes := map[string]int{}
			queue := []string{"/"}
			var problems []string
			read := 0
			for len(queue) > 0 && read < perRole {
				path := queue[0]
				queue = queue[1:]
				if seen[path] {
					continue
				}
				seen[path] = true
				shape := digitsRe.ReplaceAllString(strings.SplitN(path, "?", 2)[0], "N")
				if shapes[shape] >= 2 {
					continue
				}
				shapes[shape]++
				read++
				status, body := c.Page(path)
				if status != http.StatusOK || !strings.Contains(body, "<html") {
					continue
				}
				for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
					next := html.UnescapeString(m[1])
					if crawlable(next) && !seen[next] {
						queue = append(queue, next)
					}
				}
				text := html.UnescapeString(tagRe.ReplaceAllString(scriptRe.ReplaceAllString(body, " "), " "))
				text = urlRe.ReplaceAllString(text, " ")
				for _, k := range keyRe.FindAllString(text, -1) {
					if !allowed(k) {
						problems = append(problems, path+": "+k)
					}
				}
				for _, k := range snakeRe.FindAllString(text, -1) {
					// The rule language's facts (above_scale && park_tenant) and the region
					// CSV's columns are what an officer types: they are shown as such.
					if !cat.Has("zh", "fact."+k) && !strings.Contains(text, `declared["`+k) && k != "parent_code" {
						problems = append(problems, path+": "+k)
					}
				}
				for _, k := range badRe.FindAllString(text, -1) {
					problems = append(problems, path+": "+k)
				}
			}
			t.Logf("%s (%s): %d pages read", user, lang, read)
			if len(problems) > 0 {
				sort.Strings(problems)
				t.Errorf("%s (%s) reads keys or raw values:\n%s", user, lang, strings.Join(dedupe(problems), "\n"))
			}
		}
	}
}

// crawlable says whether a link is a page to read: not a download, an API call, a
// language switch or a log-out.
func crawlable(p string) bool {
	for _, prefix := range []string{"/static/", "/api/", "/open311/", "/lang/", "/logout", "/metrics", "/healthz", "/readyz", "/e/"} {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	base := strings.SplitN(p, "?", 2)[0]
	for _, suffix := range []string{".xlsx", ".csv", ".png", "/export", "/qr"} {
		if strings.HasSuffix(base, suffix) {
			return false
		}
	}
	return !strings.Contains(p, "format=xlsx")
}

func dedupe(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// The demo's demands start their timeline when they came in, signed by whoever raised
// them (a rule's own demand by nobody): no line dated the moment the demo county was built
// above their real steps.
func TestDemoTimelinesStartWhenDemandsCameIn(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	var n, bad int
	env.App.DB.R.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN v.at <> d.received_at OR (v.user_id = 0 AND d.raised_by <> 0) OR v.at > (SELECT MIN(w.at) FROM demand_events w WHERE w.demand_id = d.id) THEN 1 ELSE 0 END)
		FROM demands d JOIN demand_events v ON v.demand_id = d.id AND v.action = 'create'`).Scan(&n, &bad)
	if n == 0 || bad != 0 {
		t.Errorf("%d of the demo's %d demands start their timeline elsewhere than when they came in", bad, n)
	}
}
