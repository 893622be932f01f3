// Package report writes the command's daily and weekly reports (日报、周报) as the offices
// write them: headline sentences, the tables behind them, and the .xlsx workbook.
package report

import (
	"strconv"

	"fugong"
	"fugong/i18n"
	"fugong/xlsx"
)

// Writer renders reports in a language from the message catalogue.
type Writer struct {
	Cat  *i18n.Catalog
	Lang string
	// Names names the townships by code.
	Names map[string]string
}

// Pct writes a percentage as the offices do: "100%", "99.4%".
func Pct(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + "%" }

// rateText is num ÷ den as Pct writes it, or — when nothing was due (den 0).
func rateText(num, den int) string {
	if den <= 0 {
		return "—"
	}
	return Pct(fugong.Percent(num, den))
}

// rateCell is num ÷ den as a percentage cell, or — when nothing was due.
func rateCell(num, den int) any {
	if den <= 0 {
		return "—"
	}
	return xlsx.Percent(fugong.Percent(num, den))
}

// Wan writes an amount in fen as 万元 with two decimals.
func Wan(fen int64) string { return strconv.FormatFloat(float64(fen)/1e6, 'f', 2, 64) }

// Value writes a figure in its unit.
func Value(f fugong.Figure) string {
	if f.None {
		return "—"
	}
	switch f.Unit {
	case fugong.UnitPercent:
		return Pct(f.Value)
	case fugong.UnitFen:
		return Wan(int64(f.Value))
	case fugong.UnitDays:
		return strconv.FormatFloat(f.Value, 'f', 1, 64)
	}
	return strconv.FormatInt(int64(f.Value), 10)
}

// Title is the report's heading.
func (w Writer) Title(r fugong.Report) string {
	return w.Cat.T(w.Lang, "creport.title."+r.Kind, fugong.ChineseDay(r.From), fugong.ChineseDay(r.To), r.From, r.To)
}

// Sentences are the report's headline figures in the offices' words, e.g.
// "截至3月9日，该县已有311家企业正式复工复产，复工率达100%。"
func (w Writer) Sentences(r fugong.Report) []string {
	d := &r.Dashboard
	t := func(key string, args ...any) string { return w.Cat.T(w.Lang, key, args...) }
	v := func(key string) string { f, _ := d.Figure(key); return Value(f) }
	day, iso := fugong.ChineseDay(r.To), r.To
	out := []string{
		t("creport.s.resumption", day, iso, d.Count("resumption.resumed"), v("resumption.rate")),
		t("creport.s.above", d.Count("resumption.above_total"), d.Count("resumption.above_resumed"),
			rateText(d.Count("resumption.above_resumed"), d.Count("resumption.above_total"))),
		t("creport.s.attendance", d.Resumption.All.Reported, d.Count("resumption.on_duty"), v("resumption.attendance")),
		t("creport.s.demands_"+r.Kind, d.Count("demands.in"), d.Count("demands.on_site"), d.Count("demands.escalated"), d.Count("demands.late"), v("demands.same_day_rate")),
		t("creport.s.policies", d.Count("policies.entitled"), v("policies.amount"), d.Count("policies.paid"), v("policies.paid_amount")),
	}
	if d.Count("power.measured") > 0 {
		out = append(out, t("creport.s.power", d.Count("power.measured"), d.Count("power.working"), v("power.resumption_index"), v("power.production_index"), d.Count("power.idle")))
	}
	if _, ok := d.Figure("health.isolating"); ok {
		out = append(out, t("creport.s.health", d.Count("health.on_duty"), d.Count("health.isolating"), d.Count("health.alerts"), v("health.mask_cover"), d.Count("health.short"), v("health.tcm")))
	}
	if _, ok := d.Figure("employment.workshops"); ok {
		out = append(out, t("creport.s.workshops", d.Count("employment.workshops"), d.Count("employment.workshops_resumed"), d.Count("employment.workshop_workers"),
			d.Count("employment.workshop_poor"), d.Count("employment.registered"), d.Count("employment.placed"), d.Count("employment.placed_poor")))
	}
	if _, ok := d.Figure("liaison.visits"); ok {
		out = append(out, t("creport.s.liaison", d.Count("liaison.visits"), d.Count("liaison.enterprises_visited"), d.Count("liaison.stationed"), d.Count("liaison.active")))
	}
	return append(out, w.extra(d)...)
}

// extra are the sentences of panels the report has no sentence of its own for: each
// figure with its name, so that a capability's panel shows in the report as soon as it
// is on the dashboard.
func (w Writer) extra(d *fugong.Dashboard) []string {
	known := map[string]bool{"resumption": true, "demands": true, "policies": true, "power": true, "health": true, "liaison": true, "employment": true}
	var out []string
	for _, p := range d.Panels {
		if known[p.Key] {
			continue
		}
		s := w.Cat.T(w.Lang, "dashboard.panel."+p.Key) + w.Cat.T(w.Lang, "creport.colon")
		for i, f := range p.Figures {
			if i > 0 {
				s += w.Cat.T(w.Lang, "creport.comma")
			}
			s += w.Cat.T(w.Lang, "dashboard.fig."+f.Key) + " " + Value(f)
		}
		out = append(out, s+w.Cat.T(w.Lang, "creport.stop"))
	}
	return out
}

// Tables are the tables behind the sentences: by township, by focus area, the trend and
// the demands by category.
func (w Writer) Tables(r fugong.Report) []xlsx.Table {
	t := func(key string, args ...any) string { return w.Cat.T(w.Lang, key, args...) }
	d := &r.Dashboard
	head := []string{"", t("creport.col.total"), t("creport.col.resumed"), t("creport.col.rate"), t("creport.col.on_duty"), t("creport.col.payroll"), t("creport.col.attendance")}
	counts := func(name, first string, cs []fugong.ResumptionCount, label func(string) string) xlsx.Table {
		h := append([]string{first}, head[1:]...)
		tb := xlsx.Table{Name: name, Headers: h}
		for _, c := range cs {
			tb.Rows = append(tb.Rows, []any{label(c.Key), c.Total, c.Resumed, rateCell(c.Resumed, c.Total), c.OnDuty, c.Payroll, rateCell(c.OnDuty, c.Payroll)})
		}
		all := d.Resumption.All
		tb.Rows = append(tb.Rows, []any{t("creport.col.all"), all.Total, all.Resumed, rateCell(all.Resumed, all.Total), all.OnDuty, all.Payroll, rateCell(all.OnDuty, all.Payroll)})
		return tb
	}
	town := counts(t("creport.sheet.township"), t("creport.col.township"), d.Resumption.ByTownship, func(k string) string {
		if n, ok := w.Names[k]; ok {
			return n
		}
		return k
	})
	focus := counts(t("creport.sheet.focus_area"), t("creport.col.focus_area"), d.Resumption.ByFocusArea, func(k string) string {
		if k == "" {
			return t("stats.no_focus_area")
		}
		return t("focus." + k)
	})
	trend := xlsx.Table{Name: t("creport.sheet.trend"), Headers: []string{t("creport.col.day"), t("creport.col.total"), t("creport.col.resumed"), t("creport.col.rate"), t("creport.col.attendance")}}
	for _, x := range d.Trend {
		trend.Rows = append(trend.Rows, []any{xlsx.Date(x.Day), x.Total, x.Resumed, rateCell(x.Resumed, x.Total), rateCell(x.OnDuty, x.Payroll)})
	}
	dem := xlsx.Table{Name: t("creport.sheet.demands"), Headers: []string{t("creport.col.category"), t("creport.col.demands_in"), t("creport.col.solved"),
		t("creport.col.on_site"), t("creport.col.late"), t("creport.col.same_day_rate")}}
	for _, g := range d.DemandsByCategory {
		dem.Rows = append(dem.Rows, []any{t("dcat." + g.Key), g.Total, g.Solved, g.OnSite, g.Late, rateCell(g.SameDayMet, g.SameDayDue)})
	}
	return []xlsx.Table{town, focus, trend, dem}
}

// XLSX is the report as a workbook: the sentences on the first sheet, then the tables.
func (w Writer) XLSX(r fugong.Report) ([]byte, error) {
	first := xlsx.Table{Name: w.Cat.T(w.Lang, "creport.sheet."+r.Kind), Headers: []string{w.Title(r)}}
	for _, s := range w.Sentences(r) {
		first.Rows = append(first.Rows, []any{s})
	}
	return xlsx.BuildTables(append([]xlsx.Table{first}, w.Tables(r)...))
}

// FigureView is a figure as a screen shows it: its name in the language, its value
// written in its unit, and the page listing what it counts.
type FigureView struct {
	Key   string   `json:"key"`
	Label string   `json:"label"`
	Value *float64 `json:"value"` // null for a rate with nothing to take it of
	Unit  string   `json:"unit"`
	Text  string   `json:"text"`
	Href  string   `json:"href"`
}

// PanelView is a panel as a screen shows it.
type PanelView struct {
	Key     string       `json:"key"`
	Title   string       `json:"title"`
	Figures []FigureView `json:"figures"`
}

// Panels writes the dashboard's panels in the language.
func (w Writer) Panels(d *fugong.Dashboard) []PanelView {
	out := []PanelView{}
	for _, p := range d.Panels {
		pv := PanelView{Key: p.Key, Title: w.Cat.T(w.Lang, "dashboard.panel."+p.Key), Figures: []FigureView{}}
		for _, f := range p.Figures {
			fv := FigureView{Key: f.Key, Label: w.Cat.T(w.Lang, "dashboard.fig."+f.Key), Unit: f.Unit, Text: Value(f), Href: f.Href}
			if !f.None {
				fv.Value = &f.Value
			}
			pv.Figures = append(pv.Figures, fv)
		}
		out = append(out, pv)
	}
	return out
}
