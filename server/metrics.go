package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"fugong"
	"fugong/store"
)

// operations shows how the work is going: the demands open and late by the ladder level
// that owns them and the notifications waiting or given up on by channel (read from the
// database at each scrape, so every instance tells the same), and the counters of the
// domain's events in this process — clock firings, imports, failed logins.
type operations struct {
	db                            *store.DB
	open, late, pending, failed   *prometheus.Desc
	clocks, imports, loginsFailed *prometheus.CounterVec
}

var (
	demandLevels   = []string{fugong.LevelLiaison, fugong.LevelTownshipO, fugong.LevelCommand, fugong.LevelLeader, fugong.LevelDepartment}
	outboxChannels = []string{fugong.ChannelInApp, fugong.ChannelWeCom, fugong.ChannelDingTalk, fugong.ChannelSMS, fugong.ChannelEmail}
	demandClocks   = []string{fugong.ClockResponse, fugong.ClockSameDay, fugong.ClockSolution}
)

// registerOperations registers the domain metrics with reg and has db count its events.
func registerOperations(reg *prometheus.Registry, db *store.DB) {
	o := &operations{db: db,
		open:    prometheus.NewDesc("fugong_demands_open", "Open demands by the ladder level that owns them.", []string{"level"}, nil),
		late:    prometheus.NewDesc("fugong_demands_late", "Open demands with a clock run out, by the ladder level that owns them.", []string{"level"}, nil),
		pending: prometheus.NewDesc("fugong_outbox_pending", "Notifications waiting for delivery, by channel.", []string{"channel"}, nil),
		failed:  prometheus.NewDesc("fugong_outbox_failed", "Notifications given up on after their retries, by channel.", []string{"channel"}, nil),
		clocks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fugong_demand_clock_firings_total",
			Help: "Demand clocks that fired: ran out unmet (late, escalating one step) or warned of a near deadline."}, []string{"clock", "outcome"}),
		imports: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fugong_imports_total",
			Help: "Ledger imports committed, by what they imported."}, []string{"entity"}),
		loginsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fugong_logins_failed_total",
			Help: "Logins refused for a wrong username or password, a locked or a disabled account."}, nil),
	}
	for _, c := range demandClocks {
		o.clocks.WithLabelValues(c, "late")
		o.clocks.WithLabelValues(c, "warn")
	}
	o.loginsFailed.WithLabelValues()
	reg.MustRegister(o, o.clocks, o.imports, o.loginsFailed)
	db.OnEvent = o.count
}

func (o *operations) count(event, label string) {
	switch event {
	case store.EventClockLate:
		o.clocks.WithLabelValues(label, "late").Inc()
	case store.EventClockWarn:
		o.clocks.WithLabelValues(label, "warn").Inc()
	case store.EventImport:
		o.imports.WithLabelValues(label).Inc()
	case store.EventLoginFailed:
		o.loginsFailed.WithLabelValues().Inc()
	}
}

// Describe is prometheus.Collector's.
func (o *operations) Describe(ch chan<- *prometheus.Desc) {
	ch <- o.open
	ch <- o.late
	ch <- o.pending
	ch <- o.failed
}

// Collect is prometheus.Collector's: it reads the figures, every level and channel
// present (0 when none), or reports the error so that the scrape shows it.
func (o *operations) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	f, err := o.db.FindOperations(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(o.open, err)
		return
	}
	for _, l := range demandLevels {
		ch <- prometheus.MustNewConstMetric(o.open, prometheus.GaugeValue, float64(f.Open[l]), l)
		ch <- prometheus.MustNewConstMetric(o.late, prometheus.GaugeValue, float64(f.Late[l]), l)
	}
	for _, c := range outboxChannels {
		ch <- prometheus.MustNewConstMetric(o.pending, prometheus.GaugeValue, float64(f.Pending[c]), c)
		ch <- prometheus.MustNewConstMetric(o.failed, prometheus.GaugeValue, float64(f.Failed[c]), c)
	}
}
