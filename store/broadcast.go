package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fugong"
)

// BroadcastOrgSetting names the county setting that holds the org unit whose department
// users may send job news to any village (the seed: 县委组织部).
const BroadcastOrgSetting = "employment.broadcast_org"

// DefaultOrganisation is the organisation department's name when the setting is unset.
const DefaultOrganisation = "县委组织部"

// JudicialOrgSetting names the county setting that lists, comma separated, the org units
// that visit any enterprise of the county for its judicial needs (the seed: the court
// and the procuratorate).
const JudicialOrgSetting = "judicial.org_units"

// DefaultJudicial is the judicial bodies' names when the setting is unset.
const DefaultJudicial = "县人民法院,县人民检察院"

// CanBroadcast reports whether sc may send job news, and to which villages: a village
// cadre to their village, a township to its villages, the command and the organisation
// department to every village of the county.
func (db *DB) CanBroadcast(ctx context.Context, sc fugong.Scope) error {
	switch sc.Role {
	case fugong.RoleVillage, fugong.RoleTownship, fugong.RoleCommand, fugong.RoleAdmin:
		return nil
	case fugong.RoleDepartment:
		if sc.Organisation {
			return nil
		}
	}
	return fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
}

// BroadcastVillages lists the villages sc may send to.
func (db *DB) BroadcastVillages(ctx context.Context, sc fugong.Scope) ([]fugong.Region, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT r.code, r.name, COALESCE(r.parent_code, ''), r.level, r.demo FROM regions r WHERE r.level = 'village' AND `+
		RegionScope(sc, "r.code", "r.region_code", &a)+` ORDER BY r.code`, a.vals...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fugong.Region
	for rows.Next() {
		var r fugong.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.ParentCode, &r.Level, &r.Demo); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateBroadcast sends job news by SMS to the chosen villages at large: every registered
// seeker who has no job yet and every villager of the village's contact list (村民通讯录),
// each phone once, poor households first, none that opted out (退订). One outbox message
// per phone, written in the same transaction as the broadcast; the outbox holds the phone
// sealed (fugong.SealedRecipient), never in clear. It needs the county's SMS signature.
func (db *DB) CreateBroadcast(ctx context.Context, sc fugong.Scope, b *fugong.Broadcast) error {
	if err := db.CanBroadcast(ctx, sc); err != nil {
		return err
	}
	signature, err := db.Setting(ctx, sc.County, fugong.SettingSMSSignature, "")
	if err != nil {
		return err
	}
	if err := b.Validate(signature); err != nil {
		return err
	}
	allowed, err := db.BroadcastVillages(ctx, sc)
	if err != nil {
		return err
	}
	ok := map[string]bool{}
	for _, v := range allowed {
		ok[v.Code] = true
	}
	for _, v := range b.Villages {
		if !ok[v] {
			return fugong.Invalid(map[string]fugong.Msg{"villages": fugong.M("broadcast.villages")})
		}
	}
	b.County, b.SenderID = sc.County, sc.UserID
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateBroadcastTx(ctx, tx, b) })
}

// CreateBroadcastTx writes a validated broadcast and its outbox messages inside the
// caller's transaction.
func (db *DB) CreateBroadcastTx(ctx context.Context, tx Querier, b *fugong.Broadcast) error {
	now := db.now()
	if err := tx.QueryRowContext(ctx, `INSERT INTO broadcasts (region_code, sender_id, text, villages, encoding, units, parts, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, b.County, b.SenderID, b.Text, strings.Join(b.Villages, ","), b.SMS.Encoding, b.SMS.Units, b.SMS.Parts, now).Scan(&b.ID); err != nil {
		return fmt.Errorf("create broadcast: %w", err)
	}
	b.CreatedAt = fromMS(now)
	type target struct {
		seeker, villager int64
		village, seal    string
		poor             bool
	}
	var targets []target
	seen := map[string]int{}        // phone hash → index in targets
	countedOut := map[string]bool{} // phone hashes left out
	out, err := db.optedOut(ctx, tx, b.County)
	if err != nil {
		return err
	}
	b.OptedOut = 0
	for _, v := range b.Villages {
		// Seekers who have a job get no more job news; a villager who is also a seeker
		// gets one message; a phone that opted out gets none.
		var a args
		county, village := a.add(b.County), a.add(v)
		rows, err := tx.QueryContext(ctx, `SELECT id, 0, phone_sealed, phone_hash, poor FROM job_seekers WHERE region_code = `+county+` AND village = `+village+
			` AND id NOT IN (`+placedSeekerIDs(&a)+`)
			UNION ALL SELECT 0, id, phone_sealed, phone_hash, poor FROM villagers WHERE region_code = `+county+` AND village = `+village+` AND retired_at IS NULL ORDER BY 2, 1`, a.vals...)
		if err != nil {
			return err
		}
		for rows.Next() {
			t := target{village: v}
			var hash string
			if err := rows.Scan(&t.seeker, &t.villager, &t.seal, &hash, &t.poor); err != nil {
				rows.Close()
				return err
			}
			switch j, dup := seen[hash]; {
			case out[hash]:
				if !countedOut[hash] {
					countedOut[hash] = true
					b.OptedOut++
				}
			case dup:
				targets[j].poor = targets[j].poor || t.poor
			default:
				seen[hash] = len(targets)
				targets = append(targets, t)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	sort.SliceStable(targets, func(i, j int) bool { return targets[i].poor && !targets[j].poor })
	if _, err := tx.ExecContext(ctx, `UPDATE broadcasts SET opted_out = $1 WHERE id = $2`, b.OptedOut, b.ID); err != nil {
		return fmt.Errorf("broadcast opted out: %w", err)
	}
	body := b.Body
	if body == "" {
		body = b.Text
	}
	for _, t := range targets {
		n := fugong.Notification{County: b.County, Channel: fugong.ChannelSMS, Recipient: fugong.SealedRecipient + t.seal, Body: body,
			Entity: "broadcasts", EntityID: strconv.FormatInt(b.ID, 10)}
		if err := db.EnqueueNotification(ctx, tx, &n); err != nil {
			return err
		}
		var err error
		if t.seeker != 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO broadcast_recipients (region_code, broadcast_id, village, seeker_id, notification_id) VALUES ($1, $2, $3, $4, $5)`,
				b.County, b.ID, t.village, t.seeker, n.ID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO broadcast_villagers (region_code, broadcast_id, village, villager_id, notification_id) VALUES ($1, $2, $3, $4, $5)`,
				b.County, b.ID, t.village, t.villager, n.ID)
		}
		if err != nil {
			return fmt.Errorf("broadcast recipient: %w", err)
		}
	}
	return db.Audit(ctx, tx, b.County, "create", "broadcasts", b.ID, nil, map[string]any{"text": b.Text, "villages": b.Villages, "parts": b.SMS.Parts, "recipients": len(targets), "opted_out": b.OptedOut})
}

// optedOut lists the phone hashes of the county that opted out of broadcasts.
func (db *DB) optedOut(ctx context.Context, q Querier, county string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT phone_hash FROM sms_optouts WHERE region_code = $1`, county)
	if err != nil {
		return nil, fmt.Errorf("opt-outs: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out[h] = true
	}
	return out, rows.Err()
}

// broadcastScope: a broadcast is seen by its sender and by county-wide roles; a village or
// township sees those sent to its villages.
func broadcastScope(sc fugong.Scope, a *args) string {
	switch sc.Role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader:
		return "b.region_code = " + a.add(sc.County)
	case fugong.RoleVillage, fugong.RoleTownship:
		return "(b.sender_id = " + a.add(sc.UserID) + " OR EXISTS (SELECT 1 FROM broadcast_recipients x WHERE x.broadcast_id = b.id AND " +
			RegionScope(sc, "x.village", "x.region_code", a) + "))"
	}
	return "b.sender_id = " + a.add(sc.UserID)
}

// FindBroadcasts lists broadcasts in the caller's scope, newest first, each with its
// per-village tally.
func (db *DB) FindBroadcasts(ctx context.Context, sc fugong.Scope, limit, offset int) ([]fugong.Broadcast, int, error) {
	var a args
	limit, offset = page(limit, offset)
	rows, err := db.R.QueryContext(ctx, `SELECT b.id, b.region_code, b.sender_id, u.display_name, b.text, b.villages, b.encoding, b.units, b.parts, b.opted_out, b.created_at, COUNT(*) OVER()
		FROM broadcasts b JOIN users u ON u.id = b.sender_id WHERE `+broadcastScope(sc, &a)+` ORDER BY b.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find broadcasts: %w", err)
	}
	var out []fugong.Broadcast
	total := 0
	for rows.Next() {
		var b fugong.Broadcast
		var villages string
		var created int64
		if err := rows.Scan(&b.ID, &b.County, &b.SenderID, &b.Sender, &b.Text, &villages, &b.SMS.Encoding, &b.SMS.Units, &b.SMS.Parts, &b.OptedOut, &created, &total); err != nil {
			rows.Close()
			return nil, 0, err
		}
		b.Villages, b.CreatedAt = strings.Split(villages, ","), fromMS(created)
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for i := range out {
		if out[i].Counts, err = db.broadcastCounts(ctx, out[i]); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// FindBroadcast returns one broadcast in scope with its tally.
func (db *DB) FindBroadcast(ctx context.Context, sc fugong.Scope, id int64) (fugong.Broadcast, error) {
	var a args
	var b fugong.Broadcast
	var villages string
	var created int64
	err := db.R.QueryRowContext(ctx, `SELECT b.id, b.region_code, b.sender_id, u.display_name, b.text, b.villages, b.encoding, b.units, b.parts, b.opted_out, b.created_at
		FROM broadcasts b JOIN users u ON u.id = b.sender_id WHERE b.id = `+a.add(id)+` AND `+broadcastScope(sc, &a), a.vals...).
		Scan(&b.ID, &b.County, &b.SenderID, &b.Sender, &b.Text, &villages, &b.SMS.Encoding, &b.SMS.Units, &b.SMS.Parts, &b.OptedOut, &created)
	if err != nil {
		return b, mapErr(err)
	}
	b.Villages, b.CreatedAt = strings.Split(villages, ","), fromMS(created)
	b.Counts, err = db.broadcastCounts(ctx, b)
	return b, err
}

// broadcastCounts tallies per village: phones reached (one outbox message each), messages
// sent to the gateway (tried at least once), delivered (the gateway accepted them), and
// failed for good after their retries. Every chosen village has a line, even one with no seeker.
func (db *DB) broadcastCounts(ctx context.Context, b fugong.Broadcast) ([]fugong.BroadcastCount, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT x.village, COUNT(*), SUM(CASE WHEN n.attempts > 0 OR n.state <> 'pending' THEN 1 ELSE 0 END), SUM(CASE WHEN n.state = 'sent' THEN 1 ELSE 0 END), SUM(CASE WHEN n.state = 'failed' THEN 1 ELSE 0 END)
		FROM (SELECT village, notification_id FROM broadcast_recipients WHERE broadcast_id = $1 UNION ALL SELECT village, notification_id FROM broadcast_villagers WHERE broadcast_id = $1) x
		JOIN notifications n ON n.id = x.notification_id GROUP BY x.village`, b.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string]fugong.BroadcastCount{}
	for rows.Next() {
		var c fugong.BroadcastCount
		if err := rows.Scan(&c.Village, &c.Recipients, &c.Sent, &c.Delivered, &c.Failed); err != nil {
			return nil, err
		}
		got[c.Village] = c
	}
	out := make([]fugong.BroadcastCount, 0, len(b.Villages))
	for _, v := range b.Villages {
		c := got[v]
		c.Village = v
		out = append(out, c)
	}
	return out, rows.Err()
}
