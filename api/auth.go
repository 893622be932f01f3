package api

import (
	"net/http"
	"strings"

	"fugong"
	"fugong/auth"
)

type tokenRequest struct {
	Username string `json:"username" openapi:"required"`
	Password string `json:"password" openapi:"required"`
	// TOTP is the one-time code of an account with an authenticator.
	TOTP string `json:"totp,omitempty"`
}

type tokenResponse struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// createToken answers 401 for any bad login, with no hint of which part was wrong.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	f := fugong.FieldErrors{}
	if strings.TrimSpace(req.Username) == "" {
		f.Add("username", "field.required")
	}
	if req.Password == "" {
		f.Add("password", "field.required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	u, err := s.Auth.Login(r.Context(), req.Username, req.Password, auth.ClientIP(r))
	if err != nil {
		return err
	}
	// An initial password (handed out by the office, or made by 选派) opens nothing until
	// its owner has set their own, in the browser, as at a first login there.
	if u.MustChangePassword {
		return fugong.Errorf(fugong.EFORBIDDEN, "account.must_change_api")
	}
	// The second factor: an enrolled account sends its code; an account that must have
	// one and has not enrolled gets no token until it has (on the enrolment page).
	_, enrolled, err := s.Auth.Enrolled(r.Context(), u)
	if err != nil {
		return err
	}
	switch {
	case enrolled && req.TOTP == "":
		return fugong.Errorf(fugong.EUNAUTH, "totp.required")
	case enrolled:
		if err := s.Auth.CheckSecondFactor(r.Context(), u, req.TOTP, auth.ClientIP(r)); err != nil {
			return err
		}
	case s.Auth.RequireTOTP && u.Role.NeedsSecondFactor():
		return fugong.Errorf(fugong.EFORBIDDEN, "totp.enrol_first")
	}
	ctx := fugong.WithActor(r.Context(), fugong.Actor{UserID: u.ID, Username: u.Username, IP: auth.ClientIP(r)})
	tok, exp, err := s.Auth.IssueToken(ctx, u, "api")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, tokenResponse{Token: tok, ExpiresAt: s.rfc3339(exp)})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		return fugong.Errorf(fugong.EUNAUTH, "error.unauthorized")
	}
	c, _ := auth.CallerFrom(r.Context())
	if err := s.DB.RevokeToken(r.Context(), c.User.ID, auth.TokenHash(strings.TrimSpace(h[7:]))); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meJSON struct {
	ID           int64    `json:"id"`
	Username     string   `json:"username"`
	DisplayName  string   `json:"display_name"`
	Role         string   `json:"role"`
	RegionCode   string   `json:"region_code"`
	Region       string   `json:"region,omitempty"`
	EnterpriseID int64    `json:"enterprise_id,omitempty"`
	FocusAreas   []string `json:"focus_areas,omitempty"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	c, _ := auth.CallerFrom(r.Context())
	return writeJSON(w, http.StatusOK, meJSON{ID: c.User.ID, Username: c.User.Username, DisplayName: c.User.DisplayName, Role: string(c.User.Role),
		RegionCode: c.User.County, Region: c.User.Region, EnterpriseID: c.User.EnterpriseID, FocusAreas: c.Scope.FocusAreas})
}
