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

// countyUser is the account of the path's {id}, when it is of the caller's county.
func (s *Server) countyUser(r *http.Request) (fugong.User, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return fugong.User{}, err
	}
	u, err := s.DB.FindUser(r.Context(), id)
	if err != nil || u.County != auth.ScopeFrom(r.Context()).County {
		return fugong.User{}, fugong.NotFound()
	}
	return u, nil
}

func (s *Server) userSetDisabled(w http.ResponseWriter, r *http.Request) error {
	u, err := s.countyUser(r)
	if err != nil {
		return err
	}
	if err := s.DB.SetDisabled(r.Context(), u.ID, r.PostFormValue("disabled") == "1"); err != nil {
		return err
	}
	return redirect(w, r, "/users?q="+u.Username, "form.saved")
}
