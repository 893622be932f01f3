package demo

import (
	"fmt"
	"time"

	"fugong"
	"fugong/i18n"
	"fugong/store"
)

// Demo workers: about a tenth of each enterprise's payroll is on the books (a few
// thousand in all), except 慈利宏发油脂有限公司, whose 204 workers were all given
// preventive TCM by their liaison, as the seed tells.
const (
	hongfa   = "慈利宏发油脂有限公司"
	lianxing = "慈利联兴新材料科技有限公司"
)

// idNumber makes a valid invented ID number: the region, the birth date, a sequence.
func idNumber(region string, birth time.Time, seq int) string {
	first := fmt.Sprintf("%s%s%03d", region, birth.Format("20060102"), seq%1000)
	for _, c := range "0123456789X" {
		if id := first + string(c); fugong.CheckIDNumber(id) == "" {
			return id
		}
	}
	return ""
}

var homes = []struct{ code, name string }{
	{"430821", "湖南省张家界市慈利县"}, {"430821", "湖南省张家界市慈利县"}, {"430821", "湖南省张家界市慈利县"},
	{"430802", "湖南省张家界市永定区"}, {"430723", "湖南省常德市澧县"}, {"441900", "广东省东莞市"}, {"330106", "浙江省杭州市西湖区"},
}

// buildHealth gives the demo enterprises their workers through the four gates — some
// back from 湖北 and in central isolation, a few alerts today — their supplies ledgers,
// and preventive TCM at most of them; 慈利联兴新材料科技有限公司 (430 on the payroll)
// needs about 300 masks a day and has stock for about five.
func buildHealth(b *Builder) error {
	// The shortage rule raises real demands, as it does in the running county: 联兴's five
	// days of masks is a demand on the board, not only a request.
	cat := i18n.MustLoad()
	h := &store.Health{DB: b.DB, Keys: b.Opts.Keys, Text: store.Chinese(cat), SupplyDemands: store.DemandBridge{Demands: store.NewDemands(b.DB, b.Loc, cat)}}
	ctx, tx := b.Ctx, b.Tx
	if err := b.DB.SetSetting(ctx, tx, County, store.SettingRiskRegions, "湖北 2020-01-23\n"); err != nil {
		return err
	}
	if err := b.DB.SetSetting(ctx, tx, County, store.SettingIsolationDays, "14"); err != nil {
		return err
	}
	today := Start.Format(time.DateOnly)
	seq := 0
	var ws []fugong.Worker
	var events []fugong.GateEvent
	for i, e := range b.Enterprises {
		if e.Status != fugong.StatusResumed {
			continue
		}
		n := max(3, e.Payroll/10)
		if e.Name == hongfa {
			n = 204
		}
		tcm := e.Name == hongfa || i%5 != 4 // most enterprises
		for k := 0; k < n; k++ {
			seq++
			home := homes[b.Rand.IntN(len(homes))]
			w := fugong.Worker{County: County, EnterpriseID: e.ID, Township: e.Township, Name: b.PersonName(), Poor: b.Rand.IntN(12) == 0, Demo: true,
				Phone: fmt.Sprintf("1%02d%08d", 30+b.Rand.IntN(60), b.Rand.IntN(100_000_000))}
			arrival := b.Day(b.Rand.IntN(20))
			w.Health = fugong.HealthState{Arrival: arrival}
			fromHubei := seq%37 == 0
			pending := seq%41 == 0
			switch {
			case fromHubei:
				home = struct{ code, name string }{"420106", "湖北省武汉市武昌区"}
				arrival = b.Day(14 + b.Rand.IntN(12)) // 25 February – 7 March
				w.Status = fugong.WorkerIsolating
				w.Health = fugong.HealthState{Gate: fugong.GateIsolation, Risk: fugong.RiskHigh, Arrival: arrival, IsolationKind: fugong.IsolationCentral,
					IsolationStart: arrival, IsolationEnd: fugong.AddDays(arrival, 14)}
			case pending:
				arrival = today
				w.Status = fugong.WorkerPending
				w.Health = fugong.HealthState{Gate: fugong.GateEntry, Arrival: arrival}
			default:
				w.Status = fugong.WorkerOnDuty
				w.Health = fugong.HealthState{Gate: fugong.GateClear, Risk: fugong.RiskLow, Arrival: arrival}
				if tcm {
					w.TCMDoses = 1
				}
			}
			w.HomeRegion = home.name
			w.IDNumber = idNumber(home.code, time.Date(1965+b.Rand.IntN(36), time.Month(1+b.Rand.IntN(12)), 1+b.Rand.IntN(28), 0, 0, 0, 0, time.UTC), seq)
			ws = append(ws, w)
		}
	}
	if err := h.InsertWorkersTx(ctx, tx, ws); err != nil {
		return err
	}
	// The steps each worker took, as recorded by the enterprise's liaison.
	rows, err := tx.QueryContext(ctx, `SELECT id, enterprise_id, status, arrival, home_region FROM workers WHERE region_code = $1 ORDER BY id`, County)
	if err != nil {
		return err
	}
	type ref struct {
		id, ent               int64
		status, arrival, home string
	}
	var refs []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.id, &r.ent, &r.status, &r.arrival, &r.home); err != nil {
			rows.Close()
			return err
		}
		refs = append(refs, r)
	}
	rows.Close()
	for _, r := range refs {
		li := b.LiaisonOf[r.ent]
		ev := func(gate string, fill func(e *fugong.GateEvent)) {
			e := fugong.GateEvent{County: County, EnterpriseID: r.ent, WorkerID: r.id, Gate: gate, Day: r.arrival, RecordedBy: li.ID, RecorderName: li.Username}
			if fill != nil {
				fill(&e)
			}
			events = append(events, e)
		}
		ev(fugong.GateEntry, func(e *fugong.GateEvent) {
			e.FromRegion, e.Arrival, e.Temperature = r.home, r.arrival, fugong.Temperature(360+b.Rand.IntN(10))
		})
		switch r.status {
		case fugong.WorkerIsolating:
			ev(fugong.GateScreening, func(e *fugong.GateEvent) { e.Risk = fugong.RiskHigh })
			ev(fugong.GateIsolation, func(e *fugong.GateEvent) {
				// An isolated worker's isolation started on arrival (the workers above).
				e.IsolationKind, e.PlannedEnd = fugong.IsolationCentral, fugong.AddDays(r.arrival, 14)
			})
		case fugong.WorkerOnDuty:
			ev(fugong.GateScreening, func(e *fugong.GateEvent) { e.Risk = fugong.RiskLow })
			ev(fugong.GateClear, nil)
		}
	}
	if err := h.InsertGateEventsTx(ctx, tx, events); err != nil {
		return err
	}
	// A few alerts this morning: fevers and a cough at the 8 o'clock check.
	command := fugong.Scope{Role: fugong.RoleCommand, County: County, UserID: b.Command.ID}
	alerts := 0
	for i := len(refs) - 1; i >= 0 && alerts < 4; i -= 97 {
		if refs[i].status != fugong.WorkerOnDuty {
			continue
		}
		c := fugong.Check{WorkerID: refs[i].id, Day: today, Slot: fugong.SlotMorning, Temperature: fugong.Temperature(374 + alerts*3)}
		if alerts == 3 {
			c.Temperature, c.Symptoms = 368, "咳嗽"
		}
		if err := h.RecordCheckTx(ctx, tx, command, &c); err != nil {
			return err
		}
		alerts++
	}
	// Supplies: masks for one to three weeks, some used; TCM for those given it.
	given := map[int64]int{}
	for _, w := range ws {
		given[w.EnterpriseID] += w.TCMDoses
	}
	var ledger []fugong.SupplyEntry
	for _, e := range b.Enterprises {
		if e.Status != fugong.StatusResumed {
			continue
		}
		need := fugong.DailyNeed(e.Payroll, fugong.DefaultSupplySettings)
		received, used := need*(10+b.Rand.IntN(12)), need*(1+b.Rand.IntN(3))
		if e.Name == lianxing {
			received, used = 3000, 3000-need*5 // stock for five days: the seed's enterprise
		}
		lines := []fugong.SupplyEntry{
			{Item: fugong.SupplyMask, Kind: fugong.SupplyReceived, Quantity: received, Day: b.Day(2)},
			{Item: fugong.SupplyMask, Kind: fugong.SupplyUsed, Quantity: used, Day: b.Day(26)},
			{Item: fugong.SupplyDisinfectant, Kind: fugong.SupplyReceived, Quantity: 5 + e.Payroll/20, Day: b.Day(2)},
			{Item: fugong.SupplyThermometer, Kind: fugong.SupplyReceived, Quantity: 2 + e.Payroll/100, Day: b.Day(2)},
		}
		if g := given[e.ID]; g > 0 {
			lines = append(lines, fugong.SupplyEntry{Item: fugong.SupplyTCM, Kind: fugong.SupplyReceived, Quantity: g, Day: b.Day(10)},
				fugong.SupplyEntry{Item: fugong.SupplyTCM, Kind: fugong.SupplyGiven, Quantity: g, Day: b.Day(12)})
		}
		for _, l := range lines {
			l.EnterpriseID, l.RecordedBy = e.ID, b.LiaisonOf[e.ID].ID
			ledger = append(ledger, l)
		}
	}
	if err := h.ImportSuppliesTx(ctx, tx, County, ledger); err != nil {
		return err
	}
	// The demands the rule raised from the demo's invented ledger are demo data too.
	return b.Exec(`UPDATE demands SET demo = TRUE WHERE region_code = $1 AND channel = $2`, County, fugong.ChannelSystem)
}
