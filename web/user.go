package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type userListData struct {
	Items []fugong.User
	Pager Pager
	Role  string
	Query string
	Roles []fugong.Role
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.UserFilter{Role: fugong.Role(q.Get("role")), Query: q.Get("q"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindUsers(r.Context(), sc, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "users.title")
	p.Data = userListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), Role: string(f.Role), Query: f.Query, Roles: fugong.Roles}
	return s.render(w, r, "user/list", p)
}

func (s *Server) userSetDisabled(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	u, err := s.DB.FindUser(r.Context(), id)
	if err != nil || u.County != sc.County {
		return fugong.NotFound()
	}
	if err := s.DB.SetDisabled(r.Context(), id, r.PostFormValue("disabled") == "1"); err != nil {
		return err
	}
	return redirect(w, r, "/users?q="+u.Username, "form.saved")
}
