package web

import (
	"net/http"
	"strconv"
	"strings"

	"fugong"
	"fugong/auth"
)

// timelineLine is one event as the enterprise page says it.
type timelineLine struct {
	Day, Text, Who string
}

// timeline puts an enterprise's events into words in the page's language.
func timeline(p *Page, events []fugong.Event) []timelineLine {
	out := make([]timelineLine, 0, len(events))
	for _, ev := range events {
		var text string
		switch ev.Kind {
		case fugong.EventStatus:
			text = p.T("event.status", p.T("status."+ev.Detail))
		case fugong.EventDeclared:
			text = p.T("event.declared", ev.Detail)
		case fugong.EventReviewed:
			parts := strings.SplitN(ev.Detail, ":", 3)
			for len(parts) < 3 {
				parts = append(parts, "")
			}
			text = p.T("event.reviewed", p.T("stage."+parts[0]), p.T("decision."+parts[1]), parts[2])
		default:
			text = p.T("event."+ev.Kind, ev.Detail)
		}
		who := ev.Name
		if who == "" {
			who = ev.Username
		}
		out = append(out, timelineLine{Day: ev.Day, Text: text, Who: who})
	}
	return out
}

type declareData struct {
	E     fugong.Enterprise
	Items []fugong.ChecklistItem
	// Checked keeps the answers after an error.
	Checked map[int64]bool
}

func (s *Server) declarePage(r *http.Request, id int64, checked map[int64]bool) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	e, err := s.DB.FindEnterprise(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	items, err := s.DB.FindChecklist(r.Context(), e.County, e.FocusArea)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "declaration.new")
	p.Data = declareData{E: e, Items: items, Checked: checked}
	return p, nil
}

func (s *Server) declarationNew(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "declaration/new", func(r *http.Request, id int64) (*Page, error) { return s.declarePage(r, id, nil) })
}

func (s *Server) declarationCreate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	d := fugong.Declaration{EnterpriseID: id, PlannedOn: f.str("planned_on"), Note: f.str("note"), Answers: map[int64]bool{}}
	for k := range r.PostForm {
		if n, ok := strings.CutPrefix(k, "item_"); ok {
			if v, err := strconv.ParseInt(n, 10, 64); err == nil {
				d.Answers[v] = true
			}
		}
	}
	err = s.DB.CreateDeclaration(r.Context(), auth.ScopeFrom(r.Context()), &d)
	return s.afterSave(w, r, err, "/declarations/"+strconv.FormatInt(d.ID, 10), "declaration.submitted", "declaration/new",
		func() (*Page, error) { return s.declarePage(r, id, d.Answers) })
}

type declarationListData struct {
	Items  []fugong.Declaration
	Pager  Pager
	Filter fugong.DeclarationFilter
	States []string
	Names  map[string]string
}

func (s *Server) declarationList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.DeclarationFilter{State: q.Get("state"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	if _, ok := q["state"]; !ok {
		// A reviewer opens on what waits for them.
		switch sc.Role {
		case fugong.RoleTownship:
			f.State = fugong.DeclTownship
		case fugong.RoleDepartment:
			f.State = fugong.DeclDepartment
		}
	}
	items, total, err := s.DB.FindDeclarations(r.Context(), sc, f)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.declarations")
	p.Data = declarationListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, Names: names,
		States: []string{fugong.DeclTownship, fugong.DeclDepartment, fugong.DeclApproved, fugong.DeclRejected}}
	return s.render(w, r, "declaration/list", p)
}

type declarationShowData struct {
	D         fugong.Declaration
	Items     []fugong.ChecklistItem
	Reviews   []fugong.Review
	CanReview bool
}

func (s *Server) declarationPage(r *http.Request, id int64) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	d, err := s.DB.FindDeclaration(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	items, err := s.DB.FindChecklist(r.Context(), d.County, d.FocusArea)
	if err != nil {
		return nil, err
	}
	reviews, err := s.DB.FindReviews(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "declaration.title")
	p.Title = d.Enterprise + " · " + p.T("declaration.title")
	roles := fugong.ReviewerRoles(d.State)
	p.Data = declarationShowData{D: d, Items: items, Reviews: reviews, CanReview: roles != nil && sc.Is(roles...)}
	return p, nil
}

func (s *Server) declarationShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "declaration/show", s.declarationPage)
}

func (s *Server) declarationReview(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	rv := fugong.Review{Decision: f.str("decision"), Reason: f.str("reason")}
	_, err = s.DB.ReviewDeclaration(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"), &rv)
	return s.afterSave(w, r, err, "/declarations/"+strconv.FormatInt(id, 10), "declaration.reviewed", "declaration/show",
		func() (*Page, error) { return s.declarationPage(r, id) })
}
