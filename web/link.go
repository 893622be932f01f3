package web

import (
	"context"
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

type linkListData struct {
	Items    []fugong.Link
	Pager    Pager
	Filter   fugong.LinkFilter
	Projects []Option
	Kinds    []string
	CanEdit  bool
	// Enterprise is the one the list is filtered to (from its page's 包联关系): the new
	// link's form starts with its credit code.
	Enterprise fugong.Enterprise
}

func linkFilter(r *http.Request) fugong.LinkFilter {
	q := r.URL.Query()
	f := fugong.LinkFilter{Kind: q.Get("kind"), Current: q.Get("current") != "", Limit: 100, Offset: intQuery(r, "offset", 0)}
	ent := q.Get("enterprise")
	if ent == "" { // a failed save of the form that came from one enterprise's list
		ent = r.PostForm.Get("enterprise")
	}
	f.EnterpriseID, _ = strconv.ParseInt(ent, 10, 64)
	f.ProjectID, _ = strconv.ParseInt(q.Get("project"), 10, 64)
	return f
}

func (s *Server) linkListPage(r *http.Request) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	f := linkFilter(r)
	items, total, err := s.DB.FindLinks(r.Context(), sc, f)
	if err != nil {
		return nil, err
	}
	projects, _, err := s.DB.FindKeyProjects(r.Context(), sc, fugong.KeyProjectFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	var opts []Option
	for _, kp := range projects {
		opts = append(opts, Option{Value: strconv.FormatInt(kp.ID, 10), Label: kp.Name})
	}
	p := s.newPage(r, "nav.links")
	d := linkListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, Projects: opts,
		Kinds: []string{fugong.LinkLeader, fugong.LinkLiaison}, CanEdit: sc.Is(registryEditors...)}
	if f.EnterpriseID != 0 {
		if d.Enterprise, err = s.DB.FindEnterprise(r.Context(), sc, f.EnterpriseID); err != nil {
			return nil, err
		}
	}
	p.Data = d
	return p, nil
}

func (s *Server) linkList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.linkListPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "link/list", p)
}

// resolveLink turns the form's username and credit code into ids, naming the field
// that does not resolve.
func (s *Server) resolveLink(ctx context.Context, sc fugong.Scope, l *fugong.Link, username, uscc string) error {
	f := fugong.FieldErrors{}
	if username != "" {
		u, _, err := s.DB.FindUserByUsername(ctx, username)
		if err != nil || u.County != sc.County {
			f.Add("user", "link.no_user")
		} else {
			l.UserID = u.ID
		}
	}
	if uscc != "" {
		id, err := s.DB.FindEnterpriseIDByUSCC(ctx, sc, fugong.NormalizeUSCC(uscc))
		if err != nil {
			f.Add("enterprise", "link.no_enterprise")
		}
		l.EnterpriseID = id
	}
	return f.Err()
}

func (s *Server) linkCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	l := fugong.Link{Kind: f.str("kind"), ProjectID: f.int64("project"), FromDate: f.str("from_date"), ToDate: f.str("to_date")}
	err = f.save(s.resolveLink(r.Context(), sc, &l, f.str("username"), f.str("uscc")), func() error { return s.DB.CreateLink(r.Context(), sc, &l) })
	next := "/links"
	if f.str("enterprise") != "" && l.EnterpriseID != 0 { // back to the enterprise's links it came from
		next += "?enterprise=" + strconv.FormatInt(l.EnterpriseID, 10)
	}
	return s.afterSave(w, r, err, next, "form.saved", "link/list", func() (*Page, error) { return s.linkListPage(r) })
}

func (s *Server) linkEnd(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	day := f.str("to_date")
	day = s.orToday(day)
	if err := s.DB.EndLink(r.Context(), auth.ScopeFrom(r.Context()), r.PathValue("kind"), id, day); err != nil {
		return err
	}
	return redirect(w, r, "/links", "form.saved")
}

type coverageData struct {
	C     fugong.Coverage
	Names map[string]string
}

func (s *Server) coverage(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	c, err := s.DB.FindCoverage(r.Context(), sc)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.coverage")
	p.Data = coverageData{C: c, Names: names}
	return s.render(w, r, "link/coverage", p)
}
