package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"fugong"
)

const channelCols = `id, region_code, org_unit_id, kind, name, webhook, secret, at_mobiles, events, retired, version`

func scanChannel(row interface{ Scan(...any) error }, c *fugong.NotifyChannel) error {
	return row.Scan(&c.ID, &c.County, &c.OrgUnitID, &c.Kind, &c.Name, &c.Webhook, &c.Secret, &c.AtMobiles, &c.Events, &c.Retired, &c.Version)
}

var channelStaff = fugong.RolesFor(fugong.PermChannelEdit)

// FindChannels lists the group robots of the caller's county (admin and command).
func (db *DB) FindChannels(ctx context.Context, sc fugong.Scope) ([]fugong.NotifyChannel, error) {
	if err := sc.Require(channelStaff...); err != nil {
		return nil, err
	}
	rows, err := db.R.QueryContext(ctx, `SELECT `+channelCols+` FROM notify_channels WHERE region_code = $1 ORDER BY retired, org_unit_id, id`, sc.County)
	if err != nil {
		return nil, fmt.Errorf("find channels: %w", err)
	}
	defer rows.Close()
	var out []fugong.NotifyChannel
	for rows.Next() {
		var c fugong.NotifyChannel
		if err := scanChannel(rows, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindChannel returns one group robot of the caller's county.
func (db *DB) FindChannel(ctx context.Context, sc fugong.Scope, id int64) (fugong.NotifyChannel, error) {
	var c fugong.NotifyChannel
	if err := sc.Require(channelStaff...); err != nil {
		return c, fugong.NotFound()
	}
	err := scanChannel(db.R.QueryRowContext(ctx, `SELECT `+channelCols+` FROM notify_channels WHERE id = $1 AND region_code = $2`, id, sc.County), &c)
	return c, mapErr(err)
}

// ChannelForDelivery returns a channel by id for the deliverer, which sends on behalf of
// no one (no scope).
func (db *DB) ChannelForDelivery(ctx context.Context, id int64) (fugong.NotifyChannel, error) {
	var c fugong.NotifyChannel
	err := scanChannel(db.R.QueryRowContext(ctx, `SELECT `+channelCols+` FROM notify_channels WHERE id = $1`, id), &c)
	return c, mapErr(err)
}

func (db *DB) checkChannel(ctx context.Context, q Querier, c *fugong.NotifyChannel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_units WHERE id = $1 AND region_code = $2 AND NOT retired`, c.OrgUnitID, c.County).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fugong.Invalid(map[string]fugong.Msg{"org_unit_id": fugong.M("user.org_unit_unknown")})
	}
	return nil
}

// CreateChannel saves a new group robot of the caller's county.
func (db *DB) CreateChannel(ctx context.Context, sc fugong.Scope, c *fugong.NotifyChannel) error {
	if err := sc.Require(channelStaff...); err != nil {
		return err
	}
	c.County, c.Retired = sc.County, false
	if err := db.checkChannel(ctx, db.R, c); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO notify_channels (region_code, org_unit_id, kind, name, webhook, secret, at_mobiles, events)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.County, c.OrgUnitID, c.Kind, c.Name, c.Webhook, c.Secret, c.AtMobiles, c.Events).Scan(&c.ID); err != nil {
			return fmt.Errorf("create channel: %w", err)
		}
		c.Version = 1
		return db.Audit(ctx, tx, c.County, "create", "notify_channels", c.ID, nil, redactChannel(*c))
	})
}

// UpdateChannel applies fn to a group robot of the caller's county at the version read.
func (db *DB) UpdateChannel(ctx context.Context, sc fugong.Scope, id, version int64, fn func(c *fugong.NotifyChannel) error) (fugong.NotifyChannel, error) {
	var out fugong.NotifyChannel
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.FindChannel(ctx, sc, id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return fugong.Conflict("error.stale")
		}
		c := before
		if err := fn(&c); err != nil {
			return err
		}
		c.ID, c.County = before.ID, before.County
		if err := db.checkChannel(ctx, tx, &c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE notify_channels SET org_unit_id = $1, kind = $2, name = $3, webhook = $4, secret = $5, at_mobiles = $6, events = $7,
			retired = $8, version = version + 1 WHERE id = $9 AND version = $10`, c.OrgUnitID, c.Kind, c.Name, c.Webhook, c.Secret, c.AtMobiles, c.Events, c.Retired, id, before.Version)
		if err != nil {
			return fmt.Errorf("update channel %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		c.Version = before.Version + 1
		out = c
		return db.Audit(ctx, tx, c.County, "update", "notify_channels", id, redactChannel(before), redactChannel(c))
	})
	return out, err
}

// redactChannel keeps a signing secret out of the audit log: only whether one is set.
func redactChannel(c fugong.NotifyChannel) fugong.NotifyChannel {
	if c.Secret != "" {
		c.Secret = "***"
	}
	return c
}

// routedChannel is a group robot in use with what routes messages to it: its org unit's
// kind and township.
type routedChannel struct {
	fugong.NotifyChannel
	orgKind, orgRegion string
}

// countyChannels lists the group robots in use of a county, one query for a batch.
func countyChannels(ctx context.Context, q Querier, county string) ([]routedChannel, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.org_unit_id, c.kind, c.events, o.kind, o.region FROM notify_channels c JOIN org_units o ON o.id = c.org_unit_id
		WHERE c.region_code = $1 AND NOT c.retired AND NOT o.retired`, county)
	if err != nil {
		return nil, fmt.Errorf("channels of %s: %w", county, err)
	}
	defer rows.Close()
	var out []routedChannel
	for rows.Next() {
		var c routedChannel
		if err := rows.Scan(&c.ID, &c.OrgUnitID, &c.Kind, &c.Events, &c.orgKind, &c.orgRegion); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// demandMessages are the outbox rows telling event about a demand to the group robots of
// the county's command and of the demand's township that subscribe to it.
func demandMessages(chs []routedChannel, d *fugong.Demand, event, subject, body string) []fugong.Notification {
	var out []fugong.Notification
	for _, c := range chs {
		if c.Kind == fugong.ChannelSMS || !c.Gets(event) || !(c.orgKind == fugong.OrgCommand || c.orgKind == fugong.OrgTownship && c.orgRegion == d.Township) {
			continue
		}
		out = append(out, fugong.Notification{County: d.County, Channel: c.Kind, Recipient: fugong.ChannelRecipient + strconv.FormatInt(c.ID, 10),
			Subject: subject, Body: body, Entity: "demands", EntityID: strconv.FormatInt(d.ID, 10)})
	}
	return out
}

// liaisonText is the outbox row texting event about a demand to its enterprise's liaison
// (the demand's LiaisonID) through the county's SMS gateway, when an SMS channel that
// subscribes to it is the command's or the liaison's own org unit's; nil when none is.
// The liaison's org unit is read only when such a channel exists.
func liaisonText(ctx context.Context, q Querier, chs []routedChannel, d *fugong.Demand, event, body string) (*fugong.Notification, error) {
	county, units := false, []int64{}
	for _, c := range chs {
		if c.Kind == fugong.ChannelSMS && c.Gets(event) {
			county = county || c.orgKind == fugong.OrgCommand
			units = append(units, c.OrgUnitID)
		}
	}
	if d.LiaisonID == 0 || len(units) == 0 {
		return nil, nil
	}
	var unit int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(org_unit_id, 0) FROM users WHERE id = $1 AND NOT disabled AND phone <> ''`, d.LiaisonID).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil // no phone to text
	}
	if err != nil {
		return nil, fmt.Errorf("liaison %d of demand %d: %w", d.LiaisonID, d.ID, err)
	}
	if !county && !slices.Contains(units, unit) {
		return nil, nil
	}
	return &fugong.Notification{County: d.County, Channel: fugong.ChannelSMS, Recipient: fugong.UserRecipient + strconv.FormatInt(d.LiaisonID, 10),
		Body: body, Entity: "demands", EntityID: strconv.FormatInt(d.ID, 10)}, nil
}
