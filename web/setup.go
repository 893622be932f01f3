package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
	"fugong/regions"
	"fugong/roster"
	"fugong/store"
)

// The set-up pages (开通向导) take an empty install to a working county in the
// browser: the county and its townships from the shipped list, org units, people,
// enterprises, links and notification channels, each a step of /setup.

// setupStep is one line of the checklist: done when the county has what it needs.
// An optional step never holds a county back: settings have defaults, a county may work
// without robots, and declarations without a checklist of standards (each enterprise then
// declares with none to tick).
type setupStep struct {
	Key, Href string
	Count     int
	Done      bool
	Optional  bool
}

// setupSteps is the checklist of /setup, from what the county has.
func setupSteps(c store.SetupCounts) []setupStep {
	return []setupStep{
		{"setup.step.regions", "/setup#county", c.Townships, c.Townships > 0, false},
		{"setup.step.villages", "/regions#import", c.Villages, c.Villages > 0, false},
		{"setup.step.org_units", "/org-units", c.Command + c.Departments + c.TownshipUnit, c.Command > 0 && c.Departments > 0, false},
		{"setup.step.people", "/users", c.People, c.Liaisons > 0, false},
		{"setup.step.enterprises", "/ledgers", c.Enterprises, c.Enterprises > 0, false},
		{"setup.step.enterprise_accounts", "/users/enterprise-accounts", c.Enterprises - c.EnterprisesWithoutAccount, c.Enterprises > 0 && c.EnterprisesWithoutAccount == 0, false},
		{"setup.step.links", "/ledgers", c.LiaisonLinks + c.LeaderLinks, c.LiaisonLinks > 0 && c.LeaderLinks > 0, false},
		{"setup.step.standards", "/checklist", c.Standards, c.Standards > 0, true},
		{"setup.step.channels", "/channels", c.Channels, c.Channels > 0, true},
		{"setup.step.settings", "/settings", 0, true, true},
	}
}

// homeSetup is the first section of an admin's or the command's workbench while the
// county still lacks what its work needs (townships, org units, people, enterprises,
// accounts, links): each step left, a tap to its page, and the button to /setup. An
// empty install's home is otherwise a board of zeros that says 「日报都已报送」.
func (s *Server) homeSetup(r *http.Request, p *Page, sc fugong.Scope) (section, bool, error) {
	c, err := s.DB.FindSetupCounts(r.Context(), sc)
	if err != nil {
		return section{}, false, err
	}
	sec := section{ID: "home-setup", Action: p.T("setup.open"), ActionHref: "/setup"}
	needed := false
	for _, st := range setupSteps(c) {
		if st.Done {
			continue
		}
		needed = needed || !st.Optional
		t := task{Href: st.Href, Title: p.T(st.Key), Badge: p.T("setup.todo"), Class: "warn"}
		if st.Optional {
			t.Badge, t.Class, t.rank = p.T("setup.suggested"), "", 1
		}
		sec.Tasks = append(sec.Tasks, t)
	}
	sortTasks(sec.Tasks) // what holds the county back first, the suggested after
	sec.Title = p.T("setup.pending", len(sec.Tasks))
	return sec, needed, nil
}

type setupData struct {
	County     fugong.Region
	Loaded     bool
	Counties   []Option
	Steps      []setupStep
	Counts     store.SetupCounts
	MustChange int
}

// shippedCounties lists the counties of the shipped GB/T 2260 list (regions/hunan.csv),
// each labelled with its city.
func shippedCounties() ([]fugong.Region, []Option, error) {
	all, err := regions.Hunan()
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	var out []Option
	for _, r := range all {
		names[r.Code] = r.Name
		if r.Level == fugong.LevelCounty {
			out = append(out, Option{Value: r.Code, Label: names[r.ParentCode] + " " + r.Name + "（" + r.Code + "）"})
		}
	}
	return all, out, nil
}

func (s *Server) setupIndex(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "setup.title")
	if err := s.fillSetup(r, p); err != nil {
		return err
	}
	return s.render(w, r, "setup/index", p)
}

func (s *Server) fillSetup(r *http.Request, p *Page) error {
	sc := auth.ScopeFrom(r.Context())
	c, err := s.DB.FindSetupCounts(r.Context(), sc)
	if err != nil {
		return err
	}
	_, counties, err := shippedCounties()
	if err != nil {
		return err
	}
	d := setupData{Counts: c, Counties: counties}
	d.County, err = s.DB.FindRegion(r.Context(), sc.County)
	d.Loaded = err == nil && c.Townships > 0
	d.Steps = setupSteps(c)
	p.Data = d
	return nil
}

// setupCounty loads the chosen county of the shipped list — its province, city, the
// county itself, its townships and its villages — in one step. The county is the first admin's
// (`fugong user add --county`); another may be chosen while nothing is loaded yet.
func (s *Server) setupCounty(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	code := f.str("county")
	all, _, err := shippedCounties()
	if err != nil {
		return err
	}
	found := false
	for _, rg := range all {
		found = found || rg.Code == code && rg.Level == fugong.LevelCounty
	}
	if !found {
		err = fugong.Invalid(map[string]fugong.Msg{"county": fugong.M("setup.county_unknown")})
	} else if c, cerr := s.DB.FindSetupCounts(r.Context(), sc); cerr != nil {
		return cerr
	} else if c.Townships > 0 && code == sc.County {
		// Loading the shipped list again would put back the names the office corrected.
		err = fugong.Invalid(map[string]fugong.Msg{"county": fugong.M("setup.county_again")})
	} else if err = s.DB.MoveEmptyCounty(r.Context(), sc, code); err == nil {
		sub := regions.Subtree(all, code)
		var villages []fugong.Region
		if villages, err = regions.Villages(code); err == nil {
			err = s.DB.ImportRegions(r.Context(), code, append(sub, villages...), func(i int) int { return i + 2 })
		}
	}
	if err != nil {
		return s.formAgain(w, r, err, "setup.title", "setup/index", func(r *http.Request, p *Page) error { return s.fillSetup(r, p) })
	}
	return redirect(w, r, "/setup", "setup.county_loaded")
}

// newInitialPassword makes an initial password for an account the office makes: its
// hash for login, and itself sealed for the printable hand-out list.
func (s *Server) newInitialPassword() (hash, sealed string, err error) {
	_, hash, sealed, err = roster.NewInitialPassword(s.Keys)
	return hash, sealed, err
}
