package web

import (
	"crypto/subtle"
	"net/http"
	"net/url"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/server"
)

const loginCSRFCookie = "fugong_login_csrf"

type loginData struct {
	Next, Username string
}

// loginForm shows the login page. The form carries a token that must match a cookie
// (double submit), since there is no session yet to hold one.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if _, ok := auth.CallerFrom(r.Context()); ok {
		return redirect(w, r, "/", "")
	}
	return s.showLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, username, msg string) error {
	token := auth.NewToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.Auth.Secure || r.TLS != nil})
	p := s.newPage(r, "login.title")
	p.CSRF = token
	p.Message = msg
	p.Data = loginData{Next: safeNext(r.FormValue("next")), Username: username}
	return s.renderStatus(w, r, status, "login", p)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	ck, err := r.Cookie(loginCSRFCookie)
	form := r.PostFormValue(auth.CSRFField)
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(form)) != 1 {
		return s.showLogin(w, r, http.StatusForbidden, "", s.Cat.T(i18n.Pick(r), "error.csrf"))
	}
	username := r.PostFormValue("username")
	u, err := s.Auth.Login(r.Context(), username, r.PostFormValue("password"), auth.ClientIP(r))
	if err != nil {
		e := fugong.AsError(err)
		if e.Code != fugong.EUNAUTH && e.Code != fugong.ETOOMANY {
			return err
		}
		status := server.Status(e.Code)
		return s.showLogin(w, r, status, username, s.Cat.Msg(i18n.Pick(r), e.Message))
	}
	_, enrolled, err := s.Auth.Enrolled(r.Context(), u)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/login", MaxAge: -1})
	if enrolled {
		// The password was right; the session opens nothing until the code is given.
		if err := s.Auth.StartPendingSession(r.Context(), w, r, u); err != nil {
			return err
		}
		return redirect(w, r, "/login/totp?next="+url.QueryEscape(safeNext(r.PostFormValue("next"))), "")
	}
	if err := s.Auth.StartSession(r.Context(), w, r, u); err != nil {
		return err
	}
	return redirect(w, r, safeNext(r.PostFormValue("next")), "")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	s.Auth.EndSession(r.Context(), w, r)
	return redirect(w, r, "/login", "")
}

// setLang remembers the chosen language in a cookie and goes back.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	l := r.PathValue("lang")
	if l != i18n.Chinese && l != i18n.English {
		return fugong.NotFound()
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	return redirect(w, r, safeNext(r.URL.Query().Get("next")), "")
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "password", s.newPage(r, "password.title"))
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	c, _ := auth.CallerFrom(r.Context())
	p := s.newPage(r, "password.title")
	f := fugong.FieldErrors{}
	cur, nw := r.PostFormValue("current"), r.PostFormValue("new")
	_, hash, err := s.DB.FindUserByUsername(r.Context(), c.User.Username)
	if err != nil {
		return err
	}
	if ok, _ := auth.CheckPassword(hash, cur); !ok {
		f.Add("current", "password.wrong_current")
	}
	if k := fugong.CheckPassword(c.User.Username, nw); k != "" {
		f.Add("new", k)
	} else if c.User.MustChangePassword && nw == cur {
		f.Add("new", "account.same_password")
	} else if nw != r.PostFormValue("repeat") {
		f.Add("repeat", "password.mismatch")
	}
	if err := f.Err(); err != nil {
		s.invalid(p, err)
		return s.render(w, r, "password", p)
	}
	h, err := auth.HashPassword(nw)
	if err != nil {
		return err
	}
	if err := s.DB.SetPassword(r.Context(), c.User.ID, h); err != nil {
		return err
	}
	s.Auth.EndSession(r.Context(), w, r)
	return redirect(w, r, "/login", "password.changed")
}
