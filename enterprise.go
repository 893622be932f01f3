package fugong

import (
	"strings"
	"time"
)

// Focus areas (重点领域): the six kinds of workplace the county set standards for.
var FocusAreas = []string{"园区企业", "重点项目", "工矿企业", "建筑工程", "景区景点", "窗口服务"}

// Enterprise statuses.
const (
	StatusNotResumed = "未复工"
	StatusDeclaring  = "申报中"
	StatusResumed    = "已复工"
	StatusStopped    = "停产"
)

// EnterpriseStatuses lists the statuses in workflow order.
var EnterpriseStatuses = []string{StatusNotResumed, StatusDeclaring, StatusResumed, StatusStopped}

// Enterprise is any employer in the registry, cooperatives included.
type Enterprise struct {
	ID           int64
	County       string
	Name         string
	USCC         string
	Township     string // twelve-digit township code
	Village      string // village code, for poverty workshops
	Address      string
	Industry     string
	FocusArea    string
	AboveScale   bool
	ParkTenant   bool
	MonthlyRent  int64 // fen, for a park lease
	Payroll      int
	ContactName  string
	ContactPhone string
	Workshop     bool // poverty workshop (扶贫车间)
	Status       string
	StatusDate   string // YYYY-MM-DD of the last status change
	ResumedOn    string // YYYY-MM-DD, empty until resumed
	Demo         bool
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// Validate checks an enterprise before it is saved.
func (e *Enterprise) Validate() error {
	f := FieldErrors{}
	e.Name = strings.TrimSpace(e.Name)
	e.USCC = NormalizeUSCC(e.USCC)
	if e.Name == "" {
		f.Add("name", "field.required")
	}
	if k := CheckUSCC(e.USCC); k != "" {
		f.Add("uscc", k)
	}
	if CheckRegionCode(e.Township, LevelTownship) != "" {
		f.Add("township", "enterprise.township")
	}
	if e.FocusArea != "" && !oneOf(e.FocusArea, FocusAreas) {
		f.Add("focus_area", "enterprise.focus_area")
	}
	if e.Status == "" {
		e.Status = StatusNotResumed
	}
	if !oneOf(e.Status, EnterpriseStatuses) {
		f.Add("status", "enterprise.status")
	}
	if e.Payroll < 0 {
		f.Add("payroll", "field.not_negative")
	}
	var k string
	if e.ContactPhone, k = CheckContactPhone(e.ContactPhone); k != "" {
		f.Add("contact_phone", k)
	}
	if e.MonthlyRent < 0 {
		f.Add("monthly_rent", "field.not_negative")
	}
	return f.Err()
}

// EnterpriseFilter selects enterprises; empty fields do not filter.
type EnterpriseFilter struct {
	Query      string // name or credit code
	Township   string
	FocusArea  string
	Status     string
	AboveScale *bool
	Limit      int
	Offset     int
}

// KeyProject is a major construction or investment project (重点建设项目).
type KeyProject struct {
	ID         int64
	County     string
	Name       string
	Township   string
	Investment int64 // 万元
	Stage      string
	Progress   int // percent
	Demo       bool
	Version    int64
}
