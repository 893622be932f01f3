package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
)

type auditListData struct {
	Items  []auditRow
	Pager  Pager
	Filter fugong.AuditFilter
	From   string
	To     string
	Loc    *time.Location
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.AuditFilter{Username: q.Get("username"), Entity: q.Get("entity"), Action: q.Get("action"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("from"), s.Loc); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("to"), s.Loc); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	items, total, err := s.DB.FindAudit(r.Context(), sc, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "audit.title")
	rows := make([]auditRow, len(items))
	for i, it := range items {
		rows[i] = s.auditRow(p, it)
	}
	p.Data = auditListData{Items: rows, Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, From: q.Get("from"), To: q.Get("to"), Loc: s.Loc}
	return s.render(w, r, "audit/list", p)
}

// auditRow is one audit line as a person reads it: the action and the object in words,
// and what changed as "field: before → after", not the stored JSON.
type auditRow struct {
	fugong.AuditEntry
	Act, Object string
	// Which is the object's id, or a setting's name in words.
	Which   string
	Changes []string
}

// auditStates names, per object, the catalogue prefix of its state's words.
var auditStates = map[string]string{"demands": "dstate.", "entitlements": "entitlement.status.", "declarations": "decl."}

// auditSkip are the bookkeeping fields that change with every write.
var auditSkip = map[string]bool{"Version": true, "UpdatedAt": true, "CreatedAt": true, "County": true, "ID": true}

func (s *Server) auditRow(p *Page, e fugong.AuditEntry) auditRow {
	row := auditRow{AuditEntry: e, Act: s.label(p, "audit.act."+e.Action, e.Action), Object: s.label(p, "audit.ent."+e.Entity, e.Entity), Which: e.EntityID}
	if e.Entity == "settings" {
		row.Which = s.label(p, "audit.setting."+e.EntityID, e.EntityID)
	}
	var before, after map[string]any
	_ = json.Unmarshal([]byte(e.Before), &before)
	_ = json.Unmarshal([]byte(e.After), &after)
	keys := make([]string, 0, len(after)+len(before))
	for k := range after {
		keys = append(keys, k)
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if auditSkip[k] {
			continue
		}
		b, a := s.auditValue(p, e.Entity, k, before[k]), s.auditValue(p, e.Entity, k, after[k])
		if b == a || (before == nil && a == "") {
			continue
		}
		name := s.label(p, "audit.field."+k, "")
		if e.Entity == "settings" {
			name = row.Which
		}
		if name == "" {
			continue
		}
		if before == nil {
			row.Changes = append(row.Changes, name+"："+a)
		} else {
			row.Changes = append(row.Changes, name+"："+b+" → "+a)
		}
	}
	return row
}

// label translates key, or answers def when the catalogue has no such key.
func (s *Server) label(p *Page, key, def string) string {
	if s.Cat.Has(p.Lang, key) {
		return p.T(key)
	}
	return def
}

// auditValue writes one stored value as text: times in the county's zone, yes/no, and
// nothing for nested values, which the line's object already names.
func (s *Server) auditValue(p *Page, entity, field string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if prefix, ok := auditStates[entity]; ok && (field == "State" || field == "Status") {
			return s.label(p, prefix+x, x)
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			if t.IsZero() {
				return ""
			}
			return t.In(s.Loc).Format("2006-01-02 15:04")
		}
		return x
	case bool:
		if x {
			return p.T("audit.yes")
		}
		return p.T("audit.no")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}
