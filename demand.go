package fugong

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Demand is a problem or need raised by an enterprise (诉求): 300 masks, workers, raw
// materials, power, transport, money. It runs under the same-day rule (马上办、不隔夜):
// three clocks, an escalation ladder, dispatch to departments, confirmation and rating.
type Demand struct {
	ID     int64
	County string
	// Number is the readable number, SQ-YYYYMMDD-NNNN, unique per county and day.
	Number         string
	EnterpriseID   int64
	EnterpriseName string // joined for display
	Township       string // the enterprise's township, kept for figures
	LiaisonID      int64  // the enterprise's liaison when it was raised, 0 when none
	Category       string // a DemandCategory key
	Description    string
	Quantity       int64
	Unit           string
	// Fields holds the category's own form fields (e.g. item: 口罩).
	Fields map[string]string
	// Lat and Lng are where the need is, when the one who raised it said (0 when not);
	// Address is the place in words and MediaURL a photo of it, as Open311 clients send.
	Lat, Lng          float64
	Address           string
	MediaURL          string
	EnterpriseAddress string // joined for display
	Urgency           string
	Channel           string
	RaisedBy          int64
	RaisedByName      string
	State             string
	// Level is the rung of the escalation ladder that owns the demand now.
	Level    string
	OnSite   bool  // solved on site by the liaison
	ActionID int64 // the coordinated action it belongs to, 0 when none
	// Day is the calendar day the demand counts for under the same-day rule.
	Day          string
	ReceivedAt   time.Time
	ResponseDue  time.Time
	SameDayDue   time.Time
	SolutionDue  time.Time
	RespondedAt  time.Time // first act by a person
	OwnedAt      time.Time // solved, or escalated or dispatched to an owner
	SolvedAt     time.Time
	ConfirmedAt  time.Time
	ClosedAt     time.Time
	WaitingSince time.Time // set while waiting for the enterprise
	Paused       time.Duration
	ResponseLate bool
	SameDayLate  bool
	SolutionLate bool
	// Warned is a bit set of the warnings sent (WarnSameDay, WarnSolution).
	Warned int
	// Minutes taken and minutes over (positive) or under (negative) each target; -1 in a
	// Minutes field means not yet.
	ResponseMinutes int
	ResponseOver    int
	SameDayOver     int
	SolutionMinutes int
	SolutionOver    int
	UrgeCount       int
	UrgedAt         time.Time
	// Reopens counts the times the enterprise said it was not solved after all. A reopened
	// demand keeps its first solution clock and never counts as solved on time.
	Reopens     int
	Rating      int
	Comment     string
	Departments []int64 // org units it is dispatched to
	Demo        bool
	Version     int64
	UpdatedAt   time.Time
}

// Demand states.
const (
	DemandReceived   = "received"
	DemandEscalated  = "escalated"
	DemandDispatched = "dispatched"
	DemandInProgress = "in_progress"
	DemandWaiting    = "waiting" // waiting for the enterprise: the solution clock stops
	DemandSolved     = "solved"
	DemandConfirmed  = "confirmed"
	DemandClosed     = "closed"
	DemandReopened   = "reopened"
)

// DemandStates lists the states in workflow order.
var DemandStates = []string{DemandReceived, DemandEscalated, DemandDispatched, DemandInProgress, DemandWaiting, DemandSolved, DemandConfirmed, DemandClosed, DemandReopened}

// DemandOpen reports whether a demand in state s still needs solving.
func DemandOpen(s string) bool {
	return s != DemandSolved && s != DemandConfirmed && s != DemandClosed
}

// Urgencies.
const (
	UrgencyNormal   = "normal"
	UrgencyUrgent   = "urgent"
	UrgencyCritical = "critical"
)

// Urgencies lists the urgencies, least first.
var Urgencies = []string{UrgencyNormal, UrgencyUrgent, UrgencyCritical}

// Channels a demand comes in by.
const (
	ChannelOnSite     = "on_site"    // the liaison, at the enterprise
	ChannelEnterprise = "enterprise" // the enterprise itself, from its QR code
	ChannelPhone      = "phone"      // command staff taking a call
	ChannelAPI        = "api"
	ChannelOpen311    = "open311"
	ChannelImport     = "import" // a ledger collected in a WeChat group
	ChannelSystem     = "system" // raised by a rule, e.g. the supply shortage rule
)

// DemandChannels lists the channels.
var DemandChannels = []string{ChannelOnSite, ChannelEnterprise, ChannelPhone, ChannelAPI, ChannelOpen311, ChannelImport, ChannelSystem}

// CategoryField is one of a category's own form fields.
type CategoryField struct {
	Name     string   // the key in Demand.Fields, e.g. "item"
	Choices  []string // when set, the value must be one of them
	Required bool
}

// DemandCategory is a kind of demand with its own form fields and clocks. Categories are
// data: the next crisis adds its own without code.
type DemandCategory struct {
	Key    string // identifier, e.g. "supplies"
	Name   string // the offices' word, e.g. 防疫物资
	Unit   string // what Quantity counts, "" when it has none
	Fields []CategoryField
	// Solution is the time allowed to solve it (the seed: masks within a day, labour in three).
	Solution time.Duration
	// Response overrides the county's response target when set.
	Response time.Duration
}

// DemandCategories are the categories of the 2020 response.
var DemandCategories = []DemandCategory{
	{Key: "supplies", Name: "防疫物资", Unit: "件", Solution: 24 * time.Hour,
		Fields: []CategoryField{{Name: "item", Choices: []string{"口罩", "消毒液", "测温枪", "防护服", "其他"}, Required: true}}},
	{Key: "labour", Name: "用工", Unit: "人", Solution: 72 * time.Hour,
		Fields: []CategoryField{{Name: "positions", Required: true}}},
	{Key: "materials", Name: "原材料", Unit: "吨", Solution: 48 * time.Hour,
		Fields: []CategoryField{{Name: "material", Required: true}}},
	{Key: "utilities", Name: "水电气", Solution: 12 * time.Hour,
		Fields: []CategoryField{{Name: "utility", Choices: []string{"水", "电", "气"}, Required: true}}},
	{Key: "logistics", Name: "物流", Unit: "车次", Solution: 24 * time.Hour,
		Fields: []CategoryField{{Name: "route"}}},
	{Key: "finance", Name: "资金", Solution: 7 * 24 * time.Hour,
		Fields: []CategoryField{{Name: "amount_yuan"}}},
	{Key: "legal", Name: "司法", Solution: 5 * 24 * time.Hour,
		Fields: []CategoryField{{Name: "matter"}}},
	{Key: "other", Name: "其他", Solution: 72 * time.Hour},
}

// FindCategory returns the category with key k.
func FindCategory(k string) (DemandCategory, bool) {
	for _, c := range DemandCategories {
		if c.Key == k || c.Name == k {
			return c, true
		}
	}
	return DemandCategory{}, false
}

// Validate checks a demand before it is saved; it fills defaults and normalises fields.
func (d *Demand) Validate() error {
	f := FieldErrors{}
	d.Description = strings.TrimSpace(d.Description)
	if d.EnterpriseID <= 0 {
		f.Add("enterprise_id", "field.required")
	}
	cat, ok := FindCategory(d.Category)
	if !ok {
		f.Add("category", "demand.category_invalid")
	} else {
		d.Category = cat.Key
		if d.Unit == "" {
			d.Unit = cat.Unit
		}
		if d.Fields == nil {
			d.Fields = map[string]string{}
		}
		for k, v := range d.Fields {
			d.Fields[k] = strings.TrimSpace(v)
			if !cat.hasField(k) {
				delete(d.Fields, k)
			}
		}
		for _, cf := range cat.Fields {
			v := d.Fields[cf.Name]
			if v == "" {
				if cf.Required {
					f.Add("fields."+cf.Name, "field.required")
				}
				continue
			}
			if cf.Choices != nil && !oneOf(v, cf.Choices) {
				f.Add("fields."+cf.Name, "demand.choice_invalid")
			}
			if utf8.RuneCountInString(v) > 200 {
				f.Add("fields."+cf.Name, "field.too_long", 200)
			}
		}
	}
	if d.Description == "" {
		f.Add("description", "field.required")
	} else if utf8.RuneCountInString(d.Description) > 2000 {
		f.Add("description", "field.too_long", 2000)
	}
	if d.Quantity < 0 {
		f.Add("quantity", "field.not_negative")
	}
	if (d.Lat != 0 || d.Lng != 0) && (d.Lat < -90 || d.Lat > 90 || d.Lng < -180 || d.Lng > 180) {
		f.Add("lat", "posting.coordinates")
	}
	d.Address, d.MediaURL = strings.TrimSpace(d.Address), strings.TrimSpace(d.MediaURL)
	if utf8.RuneCountInString(d.Address) > 200 {
		f.Add("address", "field.too_long", 200)
	}
	if d.MediaURL != "" {
		if u, err := url.Parse(d.MediaURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(d.MediaURL) > 2000 {
			f.Add("media_url", "field.url")
		}
	}
	if d.Urgency == "" {
		d.Urgency = UrgencyNormal
	}
	if !oneOf(d.Urgency, Urgencies) {
		f.Add("urgency", "demand.urgency_invalid")
	}
	if !oneOf(d.Channel, DemandChannels) {
		f.Add("channel", "demand.channel_invalid")
	}
	return f.Err()
}

func (c DemandCategory) hasField(name string) bool {
	for _, f := range c.Fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

// DemandNumber formats the readable number of the n-th demand of a day.
func DemandNumber(day time.Time, n int) string {
	return fmt.Sprintf("SQ-%s-%04d", day.Format("20060102"), n)
}

// ParseDemandNumber reads a number back into its day (YYYY-MM-DD) and sequence.
func ParseDemandNumber(s string) (string, int, bool) {
	parts := strings.Split(s, "-")
	if len(parts) != 3 || parts[0] != "SQ" || len(parts[1]) != 8 || len(parts[2]) < 4 {
		return "", 0, false
	}
	d, err := time.Parse("20060102", parts[1])
	if err != nil {
		return "", 0, false
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n <= 0 {
		return "", 0, false
	}
	return d.Format(time.DateOnly), n, true
}

// Demand actions: what a person may do to a demand.
const (
	ActSolveOnSite = "solve_on_site"
	ActAccept      = "accept"
	ActEscalate    = "escalate"
	ActDispatch    = "dispatch"
	ActWait        = "wait"
	ActResume      = "resume"
	ActSolve       = "solve"
	ActConfirm     = "confirm"
	ActReopen      = "reopen"
	ActClose       = "close"
)

// Transition is one step of the state machine; who may take it is the permission table's
// row "demand."+Action.
type Transition struct {
	Action string
	From   []string
	To     string
}

// Roles lists who may take the transition, from Permissions.
func (t Transition) Roles() []Role { return RolesFor(Action("demand." + t.Action)) }

// DemandTransitions is the state machine: received → solved on site, or escalated →
// dispatched to departments → in progress → solved → confirmed (rated) → closed;
// reopened when the enterprise says it is not solved; waiting pauses the solution clock.
var DemandTransitions = []Transition{
	{ActSolveOnSite, []string{DemandReceived, DemandInProgress, DemandReopened}, DemandSolved},
	{ActAccept, []string{DemandReceived, DemandEscalated, DemandDispatched, DemandReopened}, DemandInProgress},
	{ActEscalate, []string{DemandReceived, DemandInProgress, DemandReopened}, DemandEscalated},
	{ActDispatch, []string{DemandReceived, DemandEscalated, DemandInProgress, DemandReopened, DemandDispatched}, DemandDispatched},
	{ActWait, []string{DemandDispatched, DemandInProgress, DemandEscalated}, DemandWaiting},
	{ActResume, []string{DemandWaiting}, DemandInProgress},
	{ActSolve, []string{DemandEscalated, DemandDispatched, DemandInProgress, DemandWaiting, DemandReopened}, DemandSolved},
	{ActConfirm, []string{DemandSolved}, DemandConfirmed},
	{ActReopen, []string{DemandSolved, DemandConfirmed}, DemandReopened},
	{ActClose, []string{DemandConfirmed, DemandSolved}, DemandClosed},
}

// FindTransition returns the transition of action from state for role, or an error that
// names what is wrong: an unknown action, a role that may not, a state it cannot leave by it.
func FindTransition(action, state string, role Role) (Transition, error) {
	for _, t := range DemandTransitions {
		if t.Action != action {
			continue
		}
		if !oneOfRole(role, t.Roles()) {
			if action == ActConfirm {
				return t, Errorf(EFORBIDDEN, "demand.confirm_by_enterprise")
			}
			return t, Errorf(EFORBIDDEN, "error.forbidden")
		}
		if !oneOf(state, t.From) {
			return t, Conflict("demand.bad_transition")
		}
		return t, nil
	}
	return Transition{}, Invalid(map[string]Msg{"action": M("demand.action_invalid")})
}

// ActionsFor lists what role may do to a demand in state, in menu order.
func ActionsFor(state string, role Role) []string {
	var out []string
	for _, t := range DemandTransitions {
		if oneOf(state, t.From) && oneOfRole(role, t.Roles()) {
			out = append(out, t.Action)
		}
	}
	return out
}

func oneOfRole(r Role, set []Role) bool {
	for _, x := range set {
		if x == r {
			return true
		}
	}
	return false
}

// DemandStep is what a person asks for: an action with its note and what it needs.
type DemandStep struct {
	Action      string
	Note        string
	Departments []int64 // for dispatch
	Rating      int     // for confirm, 1–5
	Comment     string  // for confirm
	Version     int64   // the version the person saw; 0 skips the check
}

// Validate checks what an action needs.
func (s *DemandStep) Validate() error {
	f := FieldErrors{}
	s.Note, s.Comment = strings.TrimSpace(s.Note), strings.TrimSpace(s.Comment)
	switch s.Action {
	case ActDispatch:
		if len(s.Departments) == 0 {
			f.Add("departments", "demand.departments_required")
		}
	case ActConfirm:
		if s.Rating < 1 || s.Rating > 5 {
			f.Add("rating", "demand.rating_invalid")
		}
	case ActReopen, ActWait:
		if s.Note == "" {
			f.Add("note", "field.required")
		}
	}
	if utf8.RuneCountInString(s.Note) > 2000 {
		f.Add("note", "field.too_long", 2000)
	}
	if utf8.RuneCountInString(s.Comment) > 2000 {
		f.Add("comment", "field.too_long", 2000)
	}
	return f.Err()
}

// DemandEvent is one line of a demand's timeline: who did what, when, with the note.
type DemandEvent struct {
	ID       int64
	DemandID int64
	At       time.Time
	UserID   int64
	Username string
	Name     string
	Action   string // create, an Act*, urge, coordinate, late_*, warn_*, escalate_auto
	From, To string
	Note     string
}

// DemandFilter selects demands; empty fields do not filter.
type DemandFilter struct {
	Query        string // number or description contains
	State        string
	Open         bool // only states that still need solving
	Done         bool // only solved, confirmed or closed
	Late         bool
	Category     string
	Township     string
	EnterpriseID int64
	Department   int64
	Day          string
	From, To     string // days, inclusive
	Limit        int
	Offset       int
}

// DemandAction is a coordinated action (统筹): many similar demands answered by one
// action with one owner; solving it solves them all.
type DemandAction struct {
	ID         int64
	County     string
	Title      string
	Note       string
	OwnerOrgID int64
	OwnerName  string
	State      string // open, solved
	CreatedBy  int64
	CreatedAt  time.Time
	SolvedAt   time.Time
	Demands    []Demand
}

// Validate checks an action before it is saved.
func (a *DemandAction) Validate(demandIDs []int64) error {
	f := FieldErrors{}
	a.Title = strings.TrimSpace(a.Title)
	if a.Title == "" {
		f.Add("title", "field.required")
	}
	if a.OwnerOrgID <= 0 {
		f.Add("owner_org_id", "field.required")
	}
	if len(demandIDs) < 1 {
		f.Add("demands", "demand.coordinate_none")
	}
	return f.Err()
}

// CheckConfirmer is the rule of who confirms a solved demand and rates it: the enterprise
// itself, or command on its behalf with a note saying how the enterprise answered (a phone
// call, a visit) — and never the person who solved it, who would be rating their own work.
// solvedBy is the user who solved the demand, 0 when unknown.
func (s *DemandStep) CheckConfirmer(role Role, userID, solvedBy int64) error {
	if s.Action != ActConfirm {
		return nil
	}
	if solvedBy != 0 && userID == solvedBy {
		return Errorf(EFORBIDDEN, "demand.confirm_own")
	}
	if role == RoleCommand && s.Note == "" {
		return Invalid(map[string]Msg{"note": M("demand.confirm_note_required")})
	}
	return nil
}
