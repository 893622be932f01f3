package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"fugong/app/apptest"
)

// A duty officer subscribes their phone's calendar to the flood-season roster: a private
// address, an iCalendar feed a calendar parser reads, one all-day event per day on duty;
// a new address ends the old one.
func TestDutyRosterCalendarFeed(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		cmd := env.Login(t, "command")
		cmd.Page("/flood-duty")
		if status, _, _ := cmd.Form("/flood-duty", url.Values{"day": {"2020-03-12"}, "leader": {"王副县长"}, "staff": {"李明、张华"}}); status != http.StatusSeeOther {
			t.Fatalf("save a duty day: %d", status)
		}
		leader := env.Login(t, "leader01")
		_, page := leader.Page("/flood-duty")
		if !strings.Contains(page, `id="calendar-form"`) {
			t.Fatal("the roster offers no calendar subscription")
		}
		link := func() string {
			t.Helper()
			status, _, body := leader.Form("/flood-duty/calendar", nil)
			m := regexp.MustCompile(`id="calendar-link" value="([^"]+)"`).FindStringSubmatch(body)
			if status != http.StatusOK || m == nil {
				t.Fatalf("make a calendar address: %d", status)
			}
			return html.UnescapeString(m[1])
		}
		first := link()
		path, ok := strings.CutPrefix(first, apptest.PublicURL)
		if !ok || !strings.HasSuffix(path, ".ics") {
			t.Fatalf("the address %s is not under the public URL", first)
		}
		phone := env.Anonymous(t)
		res := phone.Do("GET", path, "", nil, nil)
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		cal, err := ical.NewDecoder(res.Body).Decode()
		if err != nil {
			t.Fatalf("the feed is not iCalendar: %v", err)
		}
		var found bool
		for _, ev := range cal.Events() {
			start, err := ev.DateTimeStart(time.UTC)
			summary, _ := ev.Props.Text(ical.PropSummary)
			if err == nil && start.Format(time.DateOnly) == "2020-03-12" {
				found = true
				desc, _ := ev.Props.Text(ical.PropDescription)
				if !strings.Contains(summary, "王副县长") || !strings.Contains(desc, "李明") || ev.Props.Get(ical.PropDateTimeStart).ValueType() != ical.ValueDate {
					t.Errorf("the day's event: %q %q, an all-day date: %v", summary, desc, ev.Props.Get(ical.PropDateTimeStart).ValueType())
				}
				if uid, _ := ev.Props.Text(ical.PropUID); uid == "" {
					t.Errorf("the event has no UID")
				}
			}
		}
		if !found {
			t.Errorf("the feed has no event on 2020-03-12 among %d", len(cal.Events()))
		}
		second := link()
		if second == first {
			t.Fatal("a new address is the old one")
		}
		if res := phone.Do("GET", path, "", nil, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("the old address still answers: %d", res.StatusCode)
		}
		if res := phone.Do("GET", "/calendar/forged.ics", "", nil, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("a forged address: %d", res.StatusCode)
		}
	})
}
