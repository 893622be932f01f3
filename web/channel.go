package web

import (
	"net/http"
	"strconv"
	"strings"

	"fugong"
	"fugong/auth"
)

// Notification channels: each org unit's WeCom and DingTalk group robots, the events that
// reach them, and a button that sends a test message and shows the robot's answer.

type channelListData struct {
	Items []fugong.NotifyChannel
	Units map[int64]string
	// Tested is the channel just tested, with the robot's answer.
	Tested          int64
	Answer, Problem string
}

type channelFormData struct {
	C        fugong.NotifyChannel
	Action   string
	OrgUnits []Option
	Kinds    []string
	Events   []string
	Ticked   map[string]bool
}

func (s *Server) channelList(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "channel.title")
	if err := s.fillChannels(r, p); err != nil {
		return err
	}
	return s.render(w, r, "setup/channels", p)
}

func (s *Server) fillChannels(r *http.Request, p *Page) error {
	sc := auth.ScopeFrom(r.Context())
	items, err := s.DB.FindChannels(r.Context(), sc)
	if err != nil {
		return err
	}
	units, err := s.DB.FindOrgUnits(r.Context(), sc.County)
	if err != nil {
		return err
	}
	d := channelListData{Items: items, Units: map[int64]string{}}
	for _, o := range units {
		d.Units[o.ID] = o.Name
	}
	p.Data = d
	return nil
}

func (s *Server) channelFormPage(r *http.Request, c fugong.NotifyChannel) (*Page, error) {
	units, _, err := s.accountOptions(r.Context(), auth.ScopeFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "channel.new")
	d := channelFormData{C: c, Action: "/channels", OrgUnits: units, Kinds: []string{fugong.ChannelWeCom, fugong.ChannelDingTalk, fugong.ChannelSMS},
		Events: fugong.ChannelEvents, Ticked: map[string]bool{}}
	for _, e := range strings.Split(c.Events, ",") {
		d.Ticked[e] = true
	}
	if c.ID != 0 {
		p.Title = c.Name
		d.Action = "/channels/" + strconv.FormatInt(c.ID, 10)
	}
	p.Data = d
	return p, nil
}

func (s *Server) channelNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.channelFormPage(r, fugong.NotifyChannel{Kind: fugong.ChannelWeCom, Events: fugong.EventDemandNew + "," + fugong.EventDemandLate + "," + fugong.EventDemandUrged})
	if err != nil {
		return err
	}
	return s.render(w, r, "setup/channel", p)
}

func (s *Server) channelEditPage(r *http.Request, id int64) (*Page, error) {
	c, err := s.DB.FindChannel(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	return s.channelFormPage(r, c)
}

func (s *Server) channelEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "setup/channel", s.channelEditPage)
}

// readChannel copies the form onto c; an empty secret field keeps the secret stored.
func readChannel(f *form, c *fugong.NotifyChannel) {
	c.Name, c.Kind, c.Webhook, c.AtMobiles = f.str("name"), f.str("kind"), f.str("webhook"), f.str("at_mobiles")
	c.OrgUnitID = f.int64("org_unit_id")
	if sec := f.str("secret"); sec != "" || c.ID == 0 {
		c.Secret = sec
	}
	c.Events = strings.Join(f.r.PostForm["events"], ",")
}

func (s *Server) channelCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var c fugong.NotifyChannel
	readChannel(f, &c)
	err = f.save(nil, func() error { return s.DB.CreateChannel(r.Context(), auth.ScopeFrom(r.Context()), &c) })
	return s.afterSave(w, r, err, "/channels", "form.saved", "setup/channel", func() (*Page, error) { return s.channelFormPage(r, c) })
}

func (s *Server) channelUpdate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	_, err = s.DB.UpdateChannel(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"), func(c *fugong.NotifyChannel) error {
		if f.str("retired") != "" {
			c.Retired = f.str("retired") == "1"
			return nil
		}
		readChannel(f, c)
		return f.merge(nil)
	})
	return s.afterSave(w, r, err, "/channels", "form.saved", "setup/channel", func() (*Page, error) { return s.channelEditPage(r, id) })
}

// channelTest sends a test message to a robot now and shows its answer: an errcode other
// than 0, or an HTTP error, is shown as the failure it is.
func (s *Server) channelTest(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	c, err := findByID(r, s.DB.FindChannel)
	if err != nil {
		return err
	}
	p := s.newPage(r, "channel.title")
	answer, serr := s.TestChannel(r.Context(), c, p.T("channel.test_text", sc.Username))
	if err := s.DB.Audit(r.Context(), s.DB.W, sc.County, "test", "notify_channels", c.ID, nil, map[string]any{"ok": serr == nil, "answer": answer}); err != nil {
		return err
	}
	if err := s.fillChannels(r, p); err != nil {
		return err
	}
	d := p.Data.(channelListData)
	d.Tested, d.Answer = c.ID, answer
	if serr != nil {
		d.Problem = serr.Error()
	}
	p.Data = d
	return s.render(w, r, "setup/channels", p)
}
