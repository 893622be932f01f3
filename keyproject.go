package fugong

import (
	"strings"
	"time"
)

// ProjectStages are the stages of a key project as the development office names them.
var ProjectStages = []string{"前期", "新开工", "在建", "竣工"}

// Validate checks a key project before it is saved.
func (p *KeyProject) Validate() error {
	f := FieldErrors{}
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		f.Add("name", "field.required")
	} else if len([]rune(p.Name)) > 200 {
		f.Add("name", "field.too_long")
	}
	if CheckRegionCode(p.Township, LevelTownship) != "" {
		f.Add("township", "enterprise.township")
	}
	if p.Investment < 0 {
		f.Add("investment", "field.not_negative")
	}
	if p.Stage != "" && !oneOf(p.Stage, ProjectStages) {
		f.Add("stage", "project.stage")
	}
	if p.Progress < 0 || p.Progress > 100 {
		f.Add("progress", "project.progress")
	}
	return f.Err()
}

// KeyProjectFilter selects key projects.
type KeyProjectFilter struct {
	Query    string
	Township string
	Stage    string
	Limit    int
	Offset   int
}

// ProjectReport is a key project's weekly progress report (周报): the progress reached by
// the end of the week and what happened. One per project and week; a second edits the first.
type ProjectReport struct {
	ID        int64
	County    string
	ProjectID int64
	Week      string // the Monday of the week, YYYY-MM-DD
	Progress  int
	Note      string
	Username  string
	At        time.Time
}

// Validate checks a weekly report and moves its week to the week's Monday.
func (r *ProjectReport) Validate() error {
	f := FieldErrors{}
	d, err := time.Parse(time.DateOnly, r.Week)
	if err != nil {
		f.Add("week", "field.date")
	} else {
		r.Week = Monday(d).Format(time.DateOnly)
	}
	if r.Progress < 0 || r.Progress > 100 {
		f.Add("progress", "project.progress")
	}
	r.Note = strings.TrimSpace(r.Note)
	if len([]rune(r.Note)) > 2000 {
		f.Add("note", "field.too_long")
	}
	return f.Err()
}

// Monday returns the Monday of d's week (weeks run Monday to Sunday in China).
func Monday(d time.Time) time.Time {
	wd := int(d.Weekday()+6) % 7
	return d.AddDate(0, 0, -wd)
}

// Link kinds: a county leader's link (包联) to a project or an enterprise, and a
// liaison stationed at an enterprise.
const (
	LinkLeader  = "leader"
	LinkLiaison = "liaison"
)

// Link is one dated responsibility: who, for what, from when, until when (empty: now).
type Link struct {
	ID          int64
	County      string
	Kind        string
	UserID      int64
	Username    string
	DisplayName string
	// Phone is the person's work phone, so that an enterprise can call its liaison.
	Phone        string
	EnterpriseID int64
	ProjectID    int64
	Target       string // the enterprise's or project's name
	FromDate     string
	ToDate       string
}

// Validate checks a link before it is saved.
func (l *Link) Validate() error {
	f := FieldErrors{}
	if l.Kind != LinkLeader && l.Kind != LinkLiaison {
		f.Add("kind", "link.kind")
	}
	if l.UserID == 0 {
		f.Add("user", "field.required")
	}
	switch {
	case l.Kind == LinkLiaison && l.EnterpriseID == 0:
		f.Add("enterprise", "field.required")
	case l.Kind == LinkLiaison && l.ProjectID != 0:
		f.Add("project", "link.liaison_project")
	case l.Kind == LinkLeader && (l.EnterpriseID == 0) == (l.ProjectID == 0):
		f.Add("target", "link.one_target")
	}
	if _, err := time.Parse(time.DateOnly, l.FromDate); err != nil {
		f.Add("from_date", "field.date")
	}
	if l.ToDate != "" {
		if _, err := time.Parse(time.DateOnly, l.ToDate); err != nil {
			f.Add("to_date", "field.date")
		} else if l.ToDate < l.FromDate {
			f.Add("to_date", "link.to_before_from")
		}
	}
	return f.Err()
}

// LinkFilter selects links.
type LinkFilter struct {
	Kind         string
	UserID       int64
	EnterpriseID int64
	ProjectID    int64
	Current      bool // only links with no end date
	Limit        int
	Offset       int
}
