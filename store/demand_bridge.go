package store

import (
	"context"
	"database/sql"

	"fugong"
)

// DemandBridge raises demands from other workflows — a liaison's visit, the supply
// shortage rule — inside those workflows' own transactions, through the demand workflow
// itself, so that a demand raised that way has its number, timeline, audit line and clocks
// like any other.
type DemandBridge struct{ Demands *Demands }

// fillRequired gives a demand raised from elsewhere the category fields it must carry:
// the last choice ("其他") or "见描述" (see the description).
func fillRequired(d *fugong.Demand) {
	cat, ok := fugong.FindCategory(d.Category)
	if !ok {
		return
	}
	if d.Fields == nil {
		d.Fields = map[string]string{}
	}
	for _, f := range cat.Fields {
		if f.Required && d.Fields[f.Name] == "" {
			if len(f.Choices) > 0 {
				d.Fields[f.Name] = f.Choices[len(f.Choices)-1]
			} else {
				d.Fields[f.Name] = "见描述"
			}
		}
	}
}

// RaiseFromVisit creates the demand a liaison raised on a visit; one solved on the spot is
// saved as solved on site at check-out.
func (b DemandBridge) RaiseFromVisit(ctx context.Context, tx *sql.Tx, sc fugong.Scope, v *fugong.Visit) (int64, error) {
	d := fugong.Demand{EnterpriseID: v.EnterpriseID, Category: v.Demand.Category, Description: v.Demand.Description,
		Urgency: fugong.UrgencyNormal, Channel: fugong.ChannelOnSite, ReceivedAt: v.CheckedOutAt}
	fillRequired(&d)
	p, err := b.Demands.Policy(ctx, sc.County)
	if err != nil {
		return 0, err
	}
	if err := b.Demands.Prepare(ctx, sc, &d, p); err != nil {
		return 0, err
	}
	if v.Demand.OnSite {
		at := v.CheckedOutAt
		d.State, d.OnSite = fugong.DemandSolved, true
		d.RecordResponse(at)
		d.RecordOwned(at)
		d.RecordSolved(at)
	}
	if err := b.Demands.CreateTx(ctx, tx, &d, p); err != nil {
		return 0, err
	}
	return d.ID, nil
}

// OpenSupplyDemand reports whether the shortage rule's request of the enterprise is still
// open. The rule keeps its own record (supply_requests), closed when stock recovers, so
// that it raises once per shortage; each request it opens is also a real demand.
func (b DemandBridge) OpenSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64) (bool, error) {
	return SupplyRequests{DB: b.Demands.DB}.OpenSupplyDemand(ctx, tx, enterpriseID)
}

// CloseSupplyDemand closes the rule's request when stock is back above the threshold; the
// demand itself goes on through its own workflow (solved, confirmed by the enterprise).
func (b DemandBridge) CloseSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64) error {
	return SupplyRequests{DB: b.Demands.DB}.CloseSupplyDemand(ctx, tx, enterpriseID)
}

// RaiseSupplyDemand opens the rule's request and raises the mask demand with it, unless a
// request is still open.
func (b DemandBridge) RaiseSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64, quantity int, note string) (bool, error) {
	raised, err := SupplyRequests{DB: b.Demands.DB}.RaiseSupplyDemand(ctx, tx, enterpriseID, quantity, note)
	if err != nil || !raised {
		return false, err
	}
	var county string
	if err := tx.QueryRowContext(ctx, `SELECT region_code FROM enterprises WHERE id = $1`, enterpriseID).Scan(&county); err != nil {
		return false, mapErr(err)
	}
	d := fugong.Demand{EnterpriseID: enterpriseID, Category: "supplies", Description: note, Quantity: int64(quantity), Urgency: fugong.UrgencyUrgent,
		Channel: fugong.ChannelSystem, Fields: map[string]string{"item": "口罩"}}
	sc := fugong.Scope{Role: fugong.RoleCommand, County: county}
	p, err := b.Demands.Policy(ctx, county)
	if err != nil {
		return false, err
	}
	if err := b.Demands.PrepareTx(ctx, tx, sc, &d, p); err != nil {
		return false, err
	}
	return true, b.Demands.CreateTx(ctx, tx, &d, p)
}
