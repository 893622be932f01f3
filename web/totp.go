package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/server"

	"github.com/pquerna/otp"
	qrcode "github.com/skip2/go-qrcode"
)

// The second factor (TOTP, RFC 6238): the code asked after the password, the enrolment
// page with its QR code, and an admin's reset for a lost phone.

type totpLoginData struct{ Next string }

// totpForm asks a pending login for its code.
func (s *Server) totpForm(w http.ResponseWriter, r *http.Request) error {
	sess, _, err := s.Auth.PendingSession(r)
	if err != nil {
		return redirect(w, r, "/login", "")
	}
	p := s.newPage(r, "totp.login_title")
	p.CSRF = sess.CSRF
	p.Data = totpLoginData{Next: safeNext(r.FormValue("next"))}
	return s.render(w, r, "login_totp", p)
}

// totpLogin checks the code of a pending login and completes it.
func (s *Server) totpLogin(w http.ResponseWriter, r *http.Request) error {
	sess, u, err := s.Auth.PendingSession(r)
	if err != nil {
		return redirect(w, r, "/login", "")
	}
	if !auth.CheckCSRF(r, &auth.Caller{CSRF: sess.CSRF, SessionHash: sess.TokenHash}) {
		return fugong.Errorf(fugong.EFORBIDDEN, "error.csrf")
	}
	ip := auth.ClientIP(r)
	if err := s.Auth.CheckSecondFactor(r.Context(), u, r.PostFormValue("code"), ip); err != nil {
		e := fugong.AsError(err)
		if e.Code != fugong.EUNAUTH {
			return err
		}
		p := s.newPage(r, "totp.login_title")
		p.CSRF = sess.CSRF
		p.Message = s.Cat.Msg(i18n.Pick(r), fugong.M("totp.wrong_code"))
		p.Data = totpLoginData{Next: safeNext(r.PostFormValue("next"))}
		return s.renderStatus(w, r, server.Status(e.Code), "login_totp", p)
	}
	if err := s.Auth.ConfirmSecondFactor(r.Context(), sess, u, ip); err != nil {
		return err
	}
	return redirect(w, r, safeNext(r.PostFormValue("next")), "")
}

type totpEnrolData struct {
	Enrolled bool
	Secret   string
	QR       template.URL
	// Left is how many recovery codes are unused; Codes are new ones, shown once.
	Left  int
	Codes []string
}

// totpEnrolForm shows a new secret as a QR code and as text, or says that the account
// has an authenticator and how many recovery codes it has left.
func (s *Server) totpEnrolForm(w http.ResponseWriter, r *http.Request) error {
	c, _ := auth.CallerFrom(r.Context())
	_, enrolled, err := s.Auth.Enrolled(r.Context(), c.User)
	if err != nil {
		return err
	}
	p := s.newPage(r, "totp.title")
	if enrolled {
		return s.showEnrolled(w, r, p, c.User)
	}
	key, err := auth.NewTOTPKey(c.User.Username)
	if err != nil {
		return err
	}
	return s.showEnrol(w, r, p, key)
}

func (s *Server) showEnrol(w http.ResponseWriter, r *http.Request, p *Page, key *otp.Key) error {
	png, err := qrcode.Encode(key.URL(), qrcode.Medium, 240)
	if err != nil {
		return err
	}
	p.Data = totpEnrolData{Secret: key.Secret(), QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	return s.render(w, r, "account_totp", p)
}

// showEnrolled is the page of an enrolled account: its recovery codes left, and the form
// for a new set.
func (s *Server) showEnrolled(w http.ResponseWriter, r *http.Request, p *Page, u fugong.User) error {
	left, err := s.DB.UnusedRecoveryCodes(r.Context(), u.ID)
	if err != nil {
		return err
	}
	p.Data = totpEnrolData{Enrolled: true, Left: len(left)}
	return s.render(w, r, "account_totp", p)
}

// showCodes shows new recovery codes, this once: they are kept only as hashes.
func (s *Server) showCodes(w http.ResponseWriter, r *http.Request, codes []string) error {
	p := s.newPage(r, "totp.title")
	p.Data = totpEnrolData{Enrolled: true, Codes: codes}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, "account_totp", p)
}

// totpEnrol saves the secret once the code from the app matches it, and shows the
// account's recovery codes.
func (s *Server) totpEnrol(w http.ResponseWriter, r *http.Request) error {
	c, _ := auth.CallerFrom(r.Context())
	secret := r.PostFormValue("secret")
	codes, err := s.Auth.Enrol(r.Context(), c.User, secret, r.PostFormValue("code"))
	if err == nil {
		return s.showCodes(w, r, codes)
	}
	p := s.newPage(r, "totp.title")
	if err := s.invalid(p, err); err != nil {
		return err
	}
	key, kerr := otp.NewKeyFromURL("otpauth://totp/fugong:" + url.PathEscape(c.User.Username) + "?issuer=fugong&secret=" + url.QueryEscape(secret))
	if kerr != nil || secret == "" {
		return redirect(w, r, "/account/totp", "")
	}
	return s.showEnrol(w, r, p, key)
}

// totpRecovery makes a new set of recovery codes (the old void) once the account gives
// a current code of its authenticator, and shows them.
func (s *Server) totpRecovery(w http.ResponseWriter, r *http.Request) error {
	c, _ := auth.CallerFrom(r.Context())
	codes, err := s.Auth.NewRecoveryCodes(r.Context(), c.User, r.PostFormValue("code"), auth.ClientIP(r))
	if err == nil {
		return s.showCodes(w, r, codes)
	}
	p := s.newPage(r, "totp.title")
	if err := s.invalid(p, err); err != nil {
		return err
	}
	return s.showEnrolled(w, r, p, c.User)
}

// totpReset clears an account's authenticator (a lost phone): admin only; the account's
// sessions and tokens end, and it enrols again at its next login.
func (s *Server) totpReset(w http.ResponseWriter, r *http.Request) error {
	u, err := s.countyUser(r)
	if err != nil {
		return err
	}
	if err := s.DB.SetTOTP(r.Context(), u, ""); err != nil {
		return err
	}
	return redirect(w, r, "/users?q="+url.QueryEscape(u.Username), "totp.reset_done")
}
