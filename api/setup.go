package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
	"fugong/roster"
)

// The set-up API: org units, accounts the office makes (with their initial password,
// answered once), and notification channels — the same rules as the set-up pages.

type orgUnitJSON struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Region     string `json:"region"`
	FocusAreas string `json:"focus_areas"`
	Retired    bool   `json:"retired"`
	Version    int64  `json:"version"`
}

func toOrgUnitJSON(o fugong.OrgUnit) orgUnitJSON {
	return orgUnitJSON{ID: o.ID, Kind: o.Kind, Name: o.Name, Region: o.Region, FocusAreas: o.FocusAreas, Retired: o.Retired, Version: o.Version}
}

type accountInput struct {
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Phone        string `json:"phone"`
	Role         string `json:"role"`
	OrgUnitID    int64  `json:"org_unit_id"`
	Region       string `json:"region"`
	EnterpriseID int64  `json:"enterprise_id"`
	Rank         string `json:"rank"`
	Title        string `json:"title"`
	Version      int64  `json:"version"`
}

type accountJSON struct {
	ID                 int64  `json:"id"`
	Username           string `json:"username"`
	DisplayName        string `json:"display_name"`
	Role               string `json:"role"`
	OrgUnitID          int64  `json:"org_unit_id"`
	Region             string `json:"region"`
	Rank               string `json:"rank"`
	Title              string `json:"title"`
	MustChangePassword bool   `json:"must_change_password"`
	Version            int64  `json:"version"`
	// InitialPassword is answered once, when the account is made or reset.
	InitialPassword string `json:"initial_password,omitempty"`
}

func toAccountJSON(u fugong.User) accountJSON {
	return accountJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: string(u.Role), OrgUnitID: u.OrgUnitID, Region: u.Region,
		Rank: u.Rank, Title: u.Title, MustChangePassword: u.MustChangePassword, Version: u.Version}
}

type channelJSON struct {
	ID        int64  `json:"id"`
	OrgUnitID int64  `json:"org_unit_id"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Webhook   string `json:"webhook"`
	Secret    string `json:"secret,omitempty"` // write only
	Signed    bool   `json:"signed"`
	AtMobiles string `json:"at_mobiles"`
	Events    string `json:"events"`
	Retired   bool   `json:"retired"`
	Version   int64  `json:"version"`
}

func toChannelJSON(c fugong.NotifyChannel) channelJSON {
	return channelJSON{ID: c.ID, OrgUnitID: c.OrgUnitID, Kind: c.Kind, Name: c.Name, Webhook: c.Webhook, Signed: c.Secret != "", AtMobiles: c.AtMobiles,
		Events: c.Events, Retired: c.Retired, Version: c.Version}
}

type channelTestJSON struct {
	OK     bool   `json:"ok"`
	Answer string `json:"answer"`
	Error  string `json:"error,omitempty"`
}

func (s *Server) setupRoutes() {
	id := []Param{{"id", "path", "integer", ""}}
	view, edit := fugong.RolesFor(fugong.PermSetupView), fugong.RolesFor(fugong.PermSetupEdit)
	users, channels := fugong.RolesFor(fugong.PermUserEdit), fugong.RolesFor(fugong.PermChannelEdit)
	s.handle(Op{Method: "GET", Path: "/api/v1/org-units", Summary: "The county's org units, the retired ones too", Tag: "setup", Roles: view,
		Response: List[orgUnitJSON]{}}, s.listOrgUnits)
	s.handle(Op{Method: "POST", Path: "/api/v1/org-units", Summary: "Create an org unit (command, department with its focus areas, township office)", Tag: "setup",
		Roles: edit, Request: orgUnitJSON{}, Response: orgUnitJSON{}, Status: 201}, s.createOrgUnit)
	s.handle(Op{Method: "PUT", Path: "/api/v1/org-units/{id}", Summary: "Update or retire an org unit at the version read", Tag: "setup",
		Roles: edit, Request: orgUnitJSON{}, Response: orgUnitJSON{}, Params: id}, s.updateOrgUnit)
	s.handle(Op{Method: "POST", Path: "/api/v1/users", Summary: "Make an account; its initial password is answered once and must be changed at first login",
		Tag: "setup", Roles: users, Request: accountInput{}, Response: accountJSON{}, Status: 201}, s.createAccount)
	s.handle(Op{Method: "PUT", Path: "/api/v1/users/{id}", Summary: "Update an account at the version read", Tag: "setup",
		Roles: users, Request: accountInput{}, Response: accountJSON{}, Params: id}, s.updateAccount)
	s.handle(Op{Method: "POST", Path: "/api/v1/users/{id}/password-reset", Summary: "A new initial password, answered once; the account's sessions end",
		Tag: "setup", Roles: users, Response: accountJSON{}, Params: id}, s.resetAccount)
	s.handle(Op{Method: "GET", Path: "/api/v1/channels", Summary: "The county's group robots", Tag: "setup", Roles: channels,
		Response: List[channelJSON]{}}, s.listChannels)
	s.handle(Op{Method: "POST", Path: "/api/v1/channels", Summary: "Add a WeCom or DingTalk group robot to an org unit", Tag: "setup",
		Roles: channels, Request: channelJSON{}, Response: channelJSON{}, Status: 201}, s.createChannel)
	s.handle(Op{Method: "POST", Path: "/api/v1/channels/{id}/test", Summary: "Send a test message now; the robot's answer (errcode ≠ 0 is not ok)", Tag: "setup",
		Roles: channels, Response: channelTestJSON{}, Params: id}, s.testChannel)
}

func (s *Server) listOrgUnits(w http.ResponseWriter, r *http.Request) error {
	items, err := s.DB.FindOrgUnits(r.Context(), auth.ScopeFrom(r.Context()).County)
	if err != nil {
		return err
	}
	return writeList(w, items, len(items), toOrgUnitJSON)
}

func (s *Server) createOrgUnit(w http.ResponseWriter, r *http.Request) error {
	var in orgUnitJSON
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o := fugong.OrgUnit{Kind: in.Kind, Name: in.Name, Region: in.Region, FocusAreas: in.FocusAreas}
	if err := s.DB.AddOrgUnit(r.Context(), auth.ScopeFrom(r.Context()), &o); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toOrgUnitJSON(o))
}

func (s *Server) updateOrgUnit(w http.ResponseWriter, r *http.Request) error {
	var in orgUnitJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	o, err := s.DB.UpdateOrgUnit(r.Context(), auth.ScopeFrom(r.Context()), id, in.Version, func(o *fugong.OrgUnit) error {
		o.Kind, o.Name, o.Region, o.FocusAreas, o.Retired = in.Kind, in.Name, in.Region, in.FocusAreas, in.Retired
		return nil
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toOrgUnitJSON(o))
}

// initialPassword makes an initial password: itself, its hash and itself sealed.
func (s *Server) initialPassword() (plain, hash, sealed string, err error) {
	return roster.NewInitialPassword(s.Keys)
}

func (in accountInput) apply(u *fugong.User) error {
	u.DisplayName, u.Phone, u.Role, u.OrgUnitID, u.Region, u.EnterpriseID, u.Rank, u.Title = in.DisplayName, fugong.NormalizePhone(in.Phone), fugong.Role(in.Role),
		in.OrgUnitID, in.Region, in.EnterpriseID, in.Rank, in.Title
	if k := fugong.CheckPhone(u.Phone); k != "" {
		return fugong.Invalid(map[string]fugong.Msg{"phone": fugong.M(k)})
	}
	return nil
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) error {
	var in accountInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u := fugong.User{Username: in.Username}
	if err := in.apply(&u); err != nil {
		return err
	}
	if u.Username == "" {
		u.Username = u.Phone
	}
	plain, hash, sealed, err := s.initialPassword()
	if err != nil {
		return err
	}
	if err := s.DB.AddAccount(r.Context(), auth.ScopeFrom(r.Context()), &u, hash, sealed); err != nil {
		return err
	}
	out := toAccountJSON(u)
	out.InitialPassword = plain
	return writeJSON(w, http.StatusCreated, out)
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) error {
	var in accountInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	u, err := s.DB.UpdateAccount(r.Context(), auth.ScopeFrom(r.Context()), id, in.Version, in.apply)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAccountJSON(u))
}

func (s *Server) resetAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	plain, hash, sealed, err := s.initialPassword()
	if err != nil {
		return err
	}
	if err := s.DB.ResetPassword(r.Context(), sc, id, hash, sealed); err != nil {
		return err
	}
	u, err := s.DB.FindAccount(r.Context(), sc, id)
	if err != nil {
		return err
	}
	out := toAccountJSON(u)
	out.InitialPassword = plain
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) error {
	items, err := s.DB.FindChannels(r.Context(), auth.ScopeFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeList(w, items, len(items), toChannelJSON)
}

func (s *Server) createChannel(w http.ResponseWriter, r *http.Request) error {
	var in channelJSON
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c := fugong.NotifyChannel{OrgUnitID: in.OrgUnitID, Kind: in.Kind, Name: in.Name, Webhook: in.Webhook, Secret: in.Secret, AtMobiles: in.AtMobiles, Events: in.Events}
	if err := s.DB.CreateChannel(r.Context(), auth.ScopeFrom(r.Context()), &c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toChannelJSON(c))
}

func (s *Server) testChannel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.DB.FindChannel(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if s.TestChannel == nil {
		return fugong.NotFound()
	}
	answer, serr := s.TestChannel(r.Context(), c, s.Cat.T(langOf(r), "channel.test_text", auth.ScopeFrom(r.Context()).Username))
	out := channelTestJSON{OK: serr == nil, Answer: answer}
	if serr != nil {
		out.Error = serr.Error()
	}
	return writeJSON(w, http.StatusOK, out)
}
