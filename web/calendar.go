package web

import (
	"bytes"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
)

type calendarData struct {
	// Link is the new subscription address; Path is it without the public base URL, for
	// when none is configured.
	Link, Path string
}

// calendarToken makes the caller a new private address for the duty roster's iCalendar
// feed, ending the one before, and shows it once.
func (s *Server) calendarToken(w http.ResponseWriter, r *http.Request) error {
	c, _ := auth.CallerFrom(r.Context())
	token := auth.NewToken()
	if err := s.DB.SetCalendarToken(r.Context(), c.Scope, c.User, auth.TokenHash(token)); err != nil {
		return err
	}
	path := "/calendar/" + token + ".ics"
	p := s.newPage(r, "calendar.title")
	p.Data = calendarData{Link: s.publicLink(path), Path: path}
	return s.render(w, r, "hazard/calendar", p)
}

// dutyCalendar answers the flood-season duty roster of the token owner's county as an
// iCalendar feed (RFC 5545): one all-day event per day with a leader on duty, from a month
// back to a year ahead. The token in the address is the only key: a phone's calendar
// cannot log in.
func (s *Server) dutyCalendar(w http.ResponseWriter, r *http.Request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || token == "" {
		return fugong.NotFound()
	}
	u, err := s.DB.FindCalendarUser(r.Context(), auth.TokenHash(token))
	if err != nil {
		return err
	}
	sc, err := s.DB.ScopeOf(r.Context(), u)
	if err != nil {
		return err
	}
	now := s.Clock.Now().In(s.Loc)
	days, err := s.DB.FindDutyDays(r.Context(), sc, now.AddDate(0, -1, 0).Format(time.DateOnly), now.AddDate(1, 0, 0).Format(time.DateOnly))
	if err != nil {
		return err
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//fugong//flood duty roster//ZH")
	cal.Props.SetText("X-WR-CALNAME", s.Cat.T(i18n.Chinese, "nav.flood_duty"))
	cal.Props.SetText("X-WR-TIMEZONE", s.Loc.String())
	for _, key := range slices.Sorted(maps.Keys(days)) {
		d := days[key]
		day, err := time.ParseInLocation(time.DateOnly, d.Day, s.Loc)
		if err != nil || d.Leader == "" {
			continue
		}
		ev := ical.NewEvent()
		ev.Props.SetText(ical.PropUID, "duty-"+sc.County+"-"+d.Day+"@fugong")
		ev.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
		ev.Props.SetDate(ical.PropDateTimeStart, day)
		ev.Props.SetDate(ical.PropDateTimeEnd, day.AddDate(0, 0, 1))
		ev.Props.SetText(ical.PropSummary, s.Cat.T(i18n.Chinese, "calendar.summary", d.Leader))
		if d.Staff != "" {
			ev.Props.SetText(ical.PropDescription, s.Cat.T(i18n.Chinese, "calendar.staff", d.Staff))
		}
		cal.Children = append(cal.Children, ev.Component)
	}
	var b bytes.Buffer
	if err := ical.NewEncoder(&b).Encode(cal); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write(b.Bytes())
	return err
}
