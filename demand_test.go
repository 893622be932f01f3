package fugong

import (
	"testing"
	"time"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSameDay(t *testing.T) {
	late := 22 * 60
	cases := []struct {
		in, day, due string
		lateMinute   int
	}{
		{"2020-03-09 08:00", "2020-03-09", "2020-03-10 00:00", late},
		{"2020-03-09 21:59", "2020-03-09", "2020-03-10 00:00", late},
		{"2020-03-09 22:00", "2020-03-10", "2020-03-11 00:00", late}, // the late hour itself counts for tomorrow
		{"2020-03-09 22:30", "2020-03-10", "2020-03-11 00:00", late},
		{"2020-03-09 23:50", "2020-03-10", "2020-03-11 00:00", late},
		{"2020-03-09 23:59", "2020-03-10", "2020-03-11 00:00", late},
		{"2020-03-10 00:00", "2020-03-10", "2020-03-11 00:00", late}, // midnight starts a fresh day
		{"2020-03-10 00:01", "2020-03-10", "2020-03-11 00:00", late},
		{"2020-02-28 23:00", "2020-02-29", "2020-03-01 00:00", late},    // into the leap day
		{"2020-02-29 12:00", "2020-02-29", "2020-03-01 00:00", late},    // on the leap day
		{"2020-02-29 22:15", "2020-03-01", "2020-03-02 00:00", late},    // from the leap day into March
		{"2019-02-28 22:15", "2019-03-01", "2019-03-02 00:00", late},    // no leap day in 2019
		{"2020-12-31 23:30", "2021-01-01", "2021-01-02 00:00", late},    // into a new year
		{"2020-03-09 23:50", "2020-03-09", "2020-03-10 00:00", 24 * 60}, // no late hour at all
		{"2020-03-09 20:00", "2020-03-10", "2020-03-11 00:00", 20 * 60},
	}
	for _, c := range cases {
		day, due := SameDay(at(c.in), shanghai, c.lateMinute)
		if day != c.day || !due.Equal(at(c.due)) {
			t.Errorf("SameDay(%s, late %d) = %s, %s; want %s, %s", c.in, c.lateMinute, day, due.In(shanghai).Format("2006-01-02 15:04"), c.day, c.due)
		}
	}
	// The same instant given in UTC lands on the same local day.
	day, _ := SameDay(at("2020-03-09 07:30").UTC(), shanghai, late)
	if day != "2020-03-09" {
		t.Errorf("UTC input: day %s", day)
	}
}

func TestParseLateHour(t *testing.T) {
	for in, want := range map[string]int{"22:00": 1320, "00:00": 0, "23:59": 1439, "7:05": 425} {
		got, err := ParseLateHour(in)
		if err != nil || got != want {
			t.Errorf("ParseLateHour(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "24:00", "22", "ab:cd"} {
		if _, err := ParseLateHour(bad); err == nil {
			t.Errorf("ParseLateHour(%q) accepted", bad)
		}
	}
}

func newDemand(received string, cat string) Demand {
	d := Demand{Category: cat, ReceivedAt: at(received), State: DemandReceived, Level: LevelLiaison}
	d.Deadlines(DefaultClockPolicy, shanghai)
	return d
}

func TestDeadlines(t *testing.T) {
	cases := []struct {
		in, cat                     string
		response, sameDay, solution string
	}{
		{"2020-03-09 08:00", "supplies", "2020-03-09 09:00", "2020-03-10 00:00", "2020-03-10 08:00"},
		{"2020-03-09 23:50", "supplies", "2020-03-10 00:50", "2020-03-11 00:00", "2020-03-10 23:50"},
		{"2020-03-09 22:30", "labour", "2020-03-09 23:30", "2020-03-11 00:00", "2020-03-12 22:30"},
		{"2020-02-28 23:10", "utilities", "2020-02-29 00:10", "2020-03-01 00:00", "2020-02-29 11:10"},
	}
	for _, c := range cases {
		d := newDemand(c.in, c.cat)
		if !d.ResponseDue.Equal(at(c.response)) || !d.SameDayDue.Equal(at(c.sameDay)) || !d.SolutionDue.Equal(at(c.solution)) {
			t.Errorf("%s %s: due %v %v %v", c.in, c.cat, d.ResponseDue.In(shanghai), d.SameDayDue.In(shanghai), d.SolutionDue.In(shanghai))
		}
	}
}

func TestCheckClocks(t *testing.T) {
	w := DefaultClockPolicy.Warning
	cases := []struct {
		name     string
		received string
		now      string
		edit     func(d *Demand)
		late     []string
		warn     []string
		next     string
	}{
		{"fresh", "2020-03-09 08:00", "2020-03-09 08:00", nil, nil, nil, "2020-03-09 09:00"},
		{"response ran out", "2020-03-09 08:00", "2020-03-09 09:00", nil, []string{ClockResponse}, nil, "2020-03-09 22:00"},
		{"responded in time", "2020-03-09 08:00", "2020-03-09 09:00", func(d *Demand) { d.RecordResponse(at("2020-03-09 08:20")) }, nil, nil, "2020-03-09 22:00"},
		{"same-day warning at 22:00", "2020-03-09 08:00", "2020-03-09 22:00", func(d *Demand) { d.RecordResponse(at("2020-03-09 08:20")) }, nil, []string{ClockSameDay}, "2020-03-10 00:00"},
		{"same-day warned already", "2020-03-09 08:00", "2020-03-09 22:00", func(d *Demand) { d.RecordResponse(at("2020-03-09 08:20")); d.Warned = WarnSameDay }, nil, nil, "2020-03-10 00:00"},
		{"same day runs out at midnight", "2020-03-09 08:00", "2020-03-10 00:00", func(d *Demand) { d.RecordResponse(at("2020-03-09 08:20")); d.Warned = WarnSameDay | WarnSolution }, []string{ClockSameDay}, nil, "2020-03-10 08:00"},
		{"escalated in time meets same day", "2020-03-09 08:00", "2020-03-10 00:00", func(d *Demand) {
			d.RecordResponse(at("2020-03-09 08:20"))
			d.RecordOwned(at("2020-03-09 09:00"))
			d.State, d.Warned = DemandEscalated, WarnSolution
		}, nil, nil, "2020-03-10 08:00"},
		{"23:50 is due the next midnight", "2020-03-09 23:50", "2020-03-10 00:00", func(d *Demand) { d.RecordResponse(at("2020-03-09 23:55")) }, nil, nil, "2020-03-10 21:50"},
		{"23:50 late one day after", "2020-03-09 23:50", "2020-03-11 00:00", func(d *Demand) { d.RecordResponse(at("2020-03-09 23:55")); d.Warned = WarnSameDay | WarnSolution }, []string{ClockSameDay, ClockSolution}, nil, ""},
		{"solved: nothing left", "2020-03-09 08:00", "2020-03-12 00:00", func(d *Demand) {
			d.RecordResponse(at("2020-03-09 08:20"))
			d.RecordOwned(at("2020-03-09 09:00"))
			d.RecordSolved(at("2020-03-09 09:00"))
			d.State = DemandSolved
		}, nil, nil, ""},
		{"waiting stops the solution clock", "2020-03-09 08:00", "2020-03-10 09:00", func(d *Demand) {
			d.RecordResponse(at("2020-03-09 08:20"))
			d.RecordOwned(at("2020-03-09 09:00"))
			d.State = DemandWaiting
			d.StartWaiting(at("2020-03-09 10:00"))
		}, nil, nil, ""},
		{"closed without solving: quiet", "2020-03-09 08:00", "2020-03-12 00:00", func(d *Demand) { d.State = DemandClosed }, nil, nil, ""},
		{"already late is not late twice", "2020-03-09 08:00", "2020-03-09 10:00", func(d *Demand) { d.ResponseLate = true }, nil, nil, "2020-03-09 22:00"},
	}
	for _, c := range cases {
		d := newDemand(c.received, "supplies")
		if c.edit != nil {
			c.edit(&d)
		}
		got := d.CheckClocks(at(c.now), w)
		if !equal(got.Late, c.late) || !equal(got.Warn, c.warn) {
			t.Errorf("%s: late %v warn %v; want %v %v", c.name, got.Late, got.Warn, c.late, c.warn)
		}
		want := time.Time{}
		if c.next != "" {
			want = at(c.next)
		}
		if !got.Next.Equal(want) {
			t.Errorf("%s: next %v; want %v", c.name, got.Next.In(shanghai), want.In(shanghai))
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWaitingMovesTheSolutionDeadline(t *testing.T) {
	d := newDemand("2020-03-09 08:00", "supplies") // due 2020-03-10 08:00
	d.StartWaiting(at("2020-03-09 10:00"))
	d.StopWaiting(at("2020-03-09 13:30"))
	if want := at("2020-03-10 11:30"); !d.SolutionDue.Equal(want) {
		t.Fatalf("due %v, want %v", d.SolutionDue.In(shanghai), want)
	}
	d.RecordSolved(at("2020-03-10 11:00"))
	if d.SolutionMinutes != 27*60-210 || d.SolutionOver != -30 {
		t.Errorf("minutes %d over %d; want %d, -30", d.SolutionMinutes, d.SolutionOver, 27*60-210)
	}
}

func TestMinutesRecorded(t *testing.T) {
	d := newDemand("2020-03-09 23:50", "supplies")
	d.RecordResponse(at("2020-03-10 01:00"))
	if d.ResponseMinutes != 70 || d.ResponseOver != 10 {
		t.Errorf("response %d over %d", d.ResponseMinutes, d.ResponseOver)
	}
	d.RecordOwned(at("2020-03-10 20:00"))
	d.RecordOwned(at("2020-03-10 23:00")) // only the first counts
	if d.SameDayOver != -240 {
		t.Errorf("same-day over %d, want -240", d.SameDayOver)
	}
	d.RecordResponse(at("2020-03-10 09:00"))
	if d.ResponseMinutes != 70 {
		t.Errorf("a later act changed the response time")
	}
}

func TestLadder(t *testing.T) {
	cases := []struct {
		from, to string
		ok       bool
		head     string
	}{
		{LevelLiaison, LevelTownshipO, true, LevelTownshipO},
		{LevelTownshipO, LevelCommand, true, LevelCommand},
		{LevelCommand, LevelLeader, true, LevelLeader},
		{LevelLeader, LevelLeader, false, LevelCommand},
		{LevelDepartment, LevelCommand, true, LevelCommand},
	}
	for _, c := range cases {
		to, ok := LadderUp(c.from)
		if to != c.to || ok != c.ok || Head(c.from) != c.head {
			t.Errorf("LadderUp(%s) = %s %v, head %s", c.from, to, ok, Head(c.from))
		}
	}
}

func TestTransitions(t *testing.T) {
	cases := []struct {
		action, state string
		role          Role
		to, code      string
	}{
		{ActSolveOnSite, DemandReceived, RoleLiaison, DemandSolved, ""},
		{ActSolveOnSite, DemandReceived, RoleEnterprise, "", EFORBIDDEN},
		{ActEscalate, DemandReceived, RoleLiaison, DemandEscalated, ""},
		{ActDispatch, DemandEscalated, RoleCommand, DemandDispatched, ""},
		{ActDispatch, DemandEscalated, RoleLiaison, "", EFORBIDDEN},
		{ActAccept, DemandDispatched, RoleDepartment, DemandInProgress, ""},
		{ActWait, DemandInProgress, RoleDepartment, DemandWaiting, ""},
		{ActResume, DemandWaiting, RoleEnterprise, DemandInProgress, ""},
		{ActSolve, DemandInProgress, RoleDepartment, DemandSolved, ""},
		{ActConfirm, DemandSolved, RoleEnterprise, DemandConfirmed, ""},
		{ActConfirm, DemandReceived, RoleEnterprise, "", ECONFLICT},
		{ActReopen, DemandConfirmed, RoleEnterprise, DemandReopened, ""},
		{ActSolveOnSite, DemandReopened, RoleLiaison, DemandSolved, ""},
		{ActClose, DemandConfirmed, RoleCommand, DemandClosed, ""},
		{ActClose, DemandClosed, RoleCommand, "", ECONFLICT},
		{"fly", DemandReceived, RoleCommand, "", EINVALID},
	}
	for _, c := range cases {
		tr, err := FindTransition(c.action, c.state, c.role)
		if c.code != "" {
			if ErrorCode(err) != c.code {
				t.Errorf("%s from %s as %s: %v, want %s", c.action, c.state, c.role, err, c.code)
			}
			continue
		}
		if err != nil || tr.To != c.to {
			t.Errorf("%s from %s as %s: %v %s, want %s", c.action, c.state, c.role, err, tr.To, c.to)
		}
	}
	// Every state but closed has a way on; every action is reachable.
	for _, s := range DemandStates {
		if s != DemandClosed && len(ActionsFor(s, RoleAdmin))+len(ActionsFor(s, RoleEnterprise))+len(ActionsFor(s, RoleCommand)) == 0 {
			t.Errorf("state %s is a dead end", s)
		}
	}
}

func TestDemandValidate(t *testing.T) {
	ok := Demand{EnterpriseID: 1, Category: "防疫物资", Description: "需要口罩300个", Quantity: 300, Channel: ChannelOnSite, Fields: map[string]string{"item": "口罩", "junk": "x"}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid demand refused: %v", err)
	}
	if ok.Category != "supplies" || ok.Urgency != UrgencyNormal || ok.Unit != "件" || ok.Fields["junk"] != "" {
		t.Errorf("normalised: %+v", ok)
	}
	cases := map[string]Demand{
		"enterprise_id":  {Category: "other", Description: "x", Channel: ChannelAPI},
		"category":       {EnterpriseID: 1, Category: "pets", Description: "x", Channel: ChannelAPI},
		"description":    {EnterpriseID: 1, Category: "other", Channel: ChannelAPI},
		"quantity":       {EnterpriseID: 1, Category: "other", Description: "x", Quantity: -1, Channel: ChannelAPI},
		"urgency":        {EnterpriseID: 1, Category: "other", Description: "x", Urgency: "now", Channel: ChannelAPI},
		"channel":        {EnterpriseID: 1, Category: "other", Description: "x", Channel: "pigeon"},
		"fields.item":    {EnterpriseID: 1, Category: "supplies", Description: "x", Channel: ChannelAPI},
		"fields.utility": {EnterpriseID: 1, Category: "utilities", Description: "x", Channel: ChannelAPI, Fields: map[string]string{"utility": "煤"}},
	}
	for field, d := range cases {
		e := AsError(d.Validate())
		if _, has := e.Fields[field]; !has {
			t.Errorf("%s: %v", field, e)
		}
	}
}

func TestDemandNumber(t *testing.T) {
	n := DemandNumber(at("2020-02-29 10:00"), 7)
	if n != "SQ-20200229-0007" {
		t.Fatalf("number %s", n)
	}
	day, seq, ok := ParseDemandNumber(n)
	if !ok || day != "2020-02-29" || seq != 7 {
		t.Errorf("parse: %s %d %v", day, seq, ok)
	}
	for _, bad := range []string{"", "SQ-2020-0001", "XX-20200309-0001", "SQ-20200230-0001", "SQ-20200309-abcd"} {
		if _, _, ok := ParseDemandNumber(bad); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzParseDemandNumber(f *testing.F) {
	for _, s := range []string{"SQ-20200309-0001", "SQ-20200229-12345", "SQ--", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		day, n, ok := ParseDemandNumber(s)
		if !ok {
			return
		}
		d, err := time.Parse(time.DateOnly, day)
		if err != nil || n <= 0 {
			t.Fatalf("%q parsed to %s %d", s, day, n)
		}
		if again, m, ok := ParseDemandNumber(DemandNumber(d, n)); !ok || again != day || m != n {
			t.Fatalf("round trip of %q", s)
		}
	})
}

func TestFormatDeadline(t *testing.T) {
	loc := shanghai
	at := func(s string) time.Time { v, _ := time.ParseInLocation("2006-01-02 15:04", s, loc); return v }
	tests := []struct {
		t            time.Time
		layout, want string
	}{
		{at("2020-03-10 00:00"), "01-02 15:04", "03-09 24:00"},
		{at("2020-03-01 00:00"), "01-02 15:04", "02-29 24:00"}, // a leap year's last day of February
		{at("2020-01-01 00:00"), "2006-01-02 15:04", "2019-12-31 24:00"},
		{at("2020-03-09 23:59"), "01-02 15:04", "03-09 23:59"},
		{at("2020-03-10 00:01"), "01-02 15:04", "03-10 00:01"},
		{at("2020-03-10 00:00").UTC(), "01-02 15:04", "03-09 24:00"}, // stored UTC, shown local
		{at("2020-03-10 00:00"), "2006-01-02", "2020-03-10"},         // no clock in the layout
		{time.Time{}, "01-02 15:04", ""},
	}
	for _, tt := range tests {
		if got := FormatDeadline(tt.t, loc, tt.layout); got != tt.want {
			t.Errorf("FormatDeadline(%v, %q) = %q, want %q", tt.t, tt.layout, got, tt.want)
		}
	}
}
