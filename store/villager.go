package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
	"fugong/secret"
)

// CreateVillager adds a villager to a village's contact list (村民通讯录), in the
// caller's scope of broadcasting (a village cadre's own village). The phone is sealed,
// hashed to be found and kept masked; the same phone twice in a village is refused.
func (db *DB) CreateVillager(ctx context.Context, sc fugong.Scope, keys *secret.Keys, v *fugong.Villager) error {
	if err := db.CanBroadcast(ctx, sc); err != nil {
		return err
	}
	if sc.Role == fugong.RoleVillage {
		v.Village = sc.Region
	}
	if err := db.prepareVillager(ctx, sc, v); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateVillagerTx(ctx, tx, keys, v) })
}

// prepareVillager checks a villager for the caller: a village cadre's lies in their own
// village; the village must be one the caller may send to.
func (db *DB) prepareVillager(ctx context.Context, sc fugong.Scope, v *fugong.Villager) error {
	if sc.Role == fugong.RoleVillage && v.Village == "" {
		v.Village = sc.Region
	}
	v.Phone = fugong.NormalizePhone(v.Phone)
	if err := v.Validate(); err != nil {
		return err
	}
	if err := db.inBroadcastScope(ctx, sc, v.Village); err != nil {
		return err
	}
	v.County = sc.County
	return nil
}

// ImportVillagers checks every villager of a contact-list spreadsheet (lines: each one's
// row) and, with commit, adds them all in one transaction, or none. A refusal names the
// row and the column: a bad phone, a village out of scope, the same phone twice in the
// file or already on the village's list. Without commit it only checks (the preview).
func (db *DB) ImportVillagers(ctx context.Context, sc fugong.Scope, keys *secret.Keys, vs []fugong.Villager, lines []int, commit bool) error {
	if err := db.CanBroadcast(ctx, sc); err != nil {
		return err
	}
	f := fugong.FieldErrors{}
	seen := map[string]int{}
	for i := range vs {
		if err := db.prepareVillager(ctx, sc, &vs[i]); err != nil {
			if err := rowErrors(f, lines[i], err); err != nil {
				return err
			}
			continue
		}
		key := vs[i].Village + "/" + vs[i].Phone
		if prev, dup := seen[key]; dup {
			f.Add(fugong.CellKey(lines[i], "phone"), "seeker.duplicate_in_file", prev)
		}
		seen[key] = lines[i]
		var n int
		if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM villagers WHERE region_code = $1 AND village = $2 AND phone_hash = $3 AND retired_at IS NULL`,
			sc.County, vs[i].Village, keys.Hash(vs[i].Phone)).Scan(&n); err != nil {
			return fmt.Errorf("import villagers: %w", err)
		}
		if n > 0 {
			f.Add(fugong.CellKey(lines[i], "phone"), "villager.phone_duplicate")
		}
	}
	if len(vs) == 0 {
		f.Add("file", "seeker.empty_file")
	}
	if err := f.Err(); err != nil || !commit {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for i := range vs {
			if err := db.CreateVillagerTx(ctx, tx, keys, &vs[i]); err != nil {
				if err := rowErrors(f, lines[i], err); err != nil {
					return err
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		return db.Audit(ctx, tx, sc.County, "import", "villagers", "", nil, map[string]int{"count": len(vs)})
	})
}

// rowErrors adds an invalid error's fields to f as the cells of row line; an error of
// another kind is returned.
func rowErrors(f fugong.FieldErrors, line int, err error) error {
	e := fugong.AsError(err)
	if e.Code != fugong.EINVALID {
		return err
	}
	for field, m := range e.Fields {
		f.Add(fugong.CellKey(line, field), m.Key, m.Args...)
	}
	return nil
}

// inBroadcastScope refuses a village the caller may not send to, naming the field.
func (db *DB) inBroadcastScope(ctx context.Context, sc fugong.Scope, village string) error {
	allowed, err := db.BroadcastVillages(ctx, sc)
	if err != nil {
		return err
	}
	for _, r := range allowed {
		if r.Code == village {
			return nil
		}
	}
	return fugong.Invalid(map[string]fugong.Msg{"village": fugong.M("villager.village")})
}

// CreateVillagerTx writes a validated villager inside the caller's transaction.
func (db *DB) CreateVillagerTx(ctx context.Context, q Querier, keys *secret.Keys, v *fugong.Villager) error {
	now := db.now()
	err := q.QueryRowContext(ctx, `INSERT INTO villagers (region_code, village, name, phone_sealed, phone_hash, phone_masked, poor, demo, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, v.County, v.Village, v.Name, keys.Seal(v.Phone), keys.Hash(v.Phone), fugong.MaskPhone(v.Phone),
		v.Poor, v.Demo, now).Scan(&v.ID)
	v.Version = 1
	if err != nil {
		if err = mapErr(err); fugong.ErrorCode(err) == fugong.ECONFLICT {
			return fugong.Invalid(map[string]fugong.Msg{"phone": fugong.M("villager.phone_duplicate")})
		}
		return fmt.Errorf("create villager: %w", err)
	}
	v.CreatedAt = fromMS(now)
	return db.Audit(ctx, q, v.County, "create", "villagers", v.ID, nil, map[string]any{"village": v.Village, "name": v.Name, "phone": fugong.MaskPhone(v.Phone), "poor": v.Poor})
}

// villagerCols are a villager's columns as read back, the phone masked.
const villagerCols = `v.id, v.region_code, v.village, v.name, v.phone_masked, v.poor, v.demo, v.version, v.created_at, COALESCE(v.retired_at, 0), v.retired_by`

func scanVillager(row interface{ Scan(...any) error }, v *fugong.Villager, extra ...any) error {
	var at, retired int64
	if err := row.Scan(append([]any{&v.ID, &v.County, &v.Village, &v.Name, &v.Phone, &v.Poor, &v.Demo, &v.Version, &at, &retired, &v.RetiredBy}, extra...)...); err != nil {
		return err
	}
	v.CreatedAt, v.RetiredAt = fromMS(at), fromMS(retired)
	return nil
}

// villagerScope limits villagers v to those of the villages the caller may send to, in
// the caller's county.
func villagerScope(sc fugong.Scope, a *args) string {
	return "v.region_code = " + a.add(sc.County) + " AND " + RegionScope(sc, "v.village", "v.region_code", a)
}

// FindVillagers lists the contact lists of the villages the caller may send to that
// match f, masked, with the total; villagers taken off the list are not on it. A whole
// phone is found by its keyed hash, never compared in clear.
func (db *DB) FindVillagers(ctx context.Context, sc fugong.Scope, keys *secret.Keys, f fugong.VillagerFilter) ([]fugong.Villager, int, error) {
	var a args
	limit, offset := page(f.Limit, f.Offset)
	c := villagerScope(sc, &a) + " AND v.retired_at IS NULL"
	if q := strings.TrimSpace(f.Query); q != "" {
		phone := fugong.NormalizePhone(q)
		switch {
		case len(phone) == 11 && fugong.CheckPhone(phone) == "":
			c += " AND v.phone_hash = " + a.add(keys.Hash(phone))
		case len(phone) == 4 && strings.Trim(phone, "0123456789") == "":
			c += " AND v.phone_masked LIKE " + a.add("%"+phone)
		default:
			c += " AND lower(v.name) LIKE " + a.add(like(q)) + ` ESCAPE '\'`
		}
	}
	rows, err := db.R.QueryContext(ctx, `SELECT `+villagerCols+`, COUNT(*) OVER() FROM villagers v
		WHERE `+c+` ORDER BY v.village, v.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find villagers: %w", err)
	}
	defer rows.Close()
	var out []fugong.Villager
	total := 0
	for rows.Next() {
		var v fugong.Villager
		if err := scanVillager(rows, &v, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// EachVillager calls fn with every villager on the contact lists the caller may send to,
// masked, by village: the export streams them.
func (db *DB) EachVillager(ctx context.Context, sc fugong.Scope, fn func(fugong.Villager) error) error {
	if err := db.CanBroadcast(ctx, sc); err != nil {
		return err
	}
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT `+villagerCols+` FROM villagers v WHERE `+villagerScope(sc, &a)+` AND v.retired_at IS NULL ORDER BY v.village, v.id`, a.vals...)
	if err != nil {
		return fmt.Errorf("export villagers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v fugong.Villager
		if err := scanVillager(rows, &v); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindVillager returns one villager of a village the caller may send to, masked, also
// one taken off the list; another village's is not found.
func (db *DB) FindVillager(ctx context.Context, sc fugong.Scope, id int64) (fugong.Villager, error) {
	if err := db.CanBroadcast(ctx, sc); err != nil {
		return fugong.Villager{}, err
	}
	return db.findVillager(ctx, db.R, sc, id)
}

func (db *DB) findVillager(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Villager, error) {
	var a args
	var v fugong.Villager
	err := scanVillager(q.QueryRowContext(ctx, `SELECT `+villagerCols+` FROM villagers v WHERE v.id = `+a.add(id)+` AND `+villagerScope(sc, &a), a.vals...), &v)
	return v, mapErr(err)
}

// UnmaskVillagers opens the phones of the given villagers (already found in the caller's
// scope) for a role that may see them, as Health.Unmask does the workers': one "unmask"
// line per villager in the audit log, in the same transaction. Other roles get forbidden.
func (db *DB) UnmaskVillagers(ctx context.Context, sc fugong.Scope, keys *secret.Keys, vs []fugong.Villager) error {
	if !sc.CanSeeUnmasked() {
		return fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
	}
	if len(vs) == 0 {
		return nil
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for i := range vs {
			v := &vs[i]
			var a args
			var sealed string
			if err := tx.QueryRowContext(ctx, `SELECT v.phone_sealed FROM villagers v WHERE v.id = `+a.add(v.ID)+` AND `+villagerScope(sc, &a), a.vals...).Scan(&sealed); err != nil {
				return mapErr(err)
			}
			phone, err := keys.Open(sealed)
			if err != nil {
				return fmt.Errorf("open villager %d: %w", v.ID, err)
			}
			v.Phone = phone
			if err := db.Audit(ctx, tx, v.County, "unmask", "villagers", v.ID, nil, map[string]string{"fields": "phone"}); err != nil {
				return err
			}
		}
		return nil
	})
}

// villagerAt reads a villager in the caller's scope for a change, if its version is still
// the one read (0: any) and it is still on the list.
func (db *DB) villagerAt(ctx context.Context, tx *sql.Tx, sc fugong.Scope, id, version int64) (fugong.Villager, error) {
	if err := db.CanBroadcast(ctx, sc); err != nil {
		return fugong.Villager{}, err
	}
	v, err := db.findVillager(ctx, tx, sc, id)
	switch {
	case err != nil:
	case v.Retired():
		err = fugong.Conflict("villager.retired")
	case version != 0 && version != v.Version:
		err = fugong.Conflict("error.stale")
	}
	return v, err
}

// villagerAudit is what the audit log keeps of a villager: the phone masked.
func villagerAudit(v fugong.Villager, phoneMasked string) map[string]any {
	return map[string]any{"village": v.Village, "name": v.Name, "phone": phoneMasked, "poor": v.Poor, "version": v.Version}
}

// UpdateVillager corrects a villager in the caller's scope (fugong.Villager.Edit) if its
// version is still the one read: a new phone is sealed, hashed and masked as on adding,
// and refused naming it when it is on the village's list already; a new village must be
// one the caller may send to. The audit log keeps before and after, phones masked.
func (db *DB) UpdateVillager(ctx context.Context, sc fugong.Scope, keys *secret.Keys, id, version int64, e fugong.VillagerEdit) (fugong.Villager, error) {
	var out fugong.Villager
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.villagerAt(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		v := before
		changed, err := v.Edit(e)
		if err != nil {
			return err
		}
		if err := db.inBroadcastScope(ctx, sc, v.Village); err != nil {
			return err
		}
		// A phone unchanged keeps its sealed, hashed and masked columns (NULL: as they are).
		masked := before.Phone
		var sealed, hash, newMasked any
		if changed {
			masked = fugong.MaskPhone(v.Phone)
			sealed, hash, newMasked = keys.Seal(v.Phone), keys.Hash(v.Phone), masked
		}
		res, err := tx.ExecContext(ctx, `UPDATE villagers SET village = $1, name = $2, poor = $3, phone_sealed = COALESCE($4, phone_sealed), phone_hash = COALESCE($5, phone_hash),
			phone_masked = COALESCE($6, phone_masked), version = version + 1 WHERE id = $7 AND version = $8`, v.Village, v.Name, v.Poor, sealed, hash, newMasked, id, before.Version)
		if err != nil {
			if fugong.ErrorCode(mapErr(err)) == fugong.ECONFLICT {
				return fugong.Invalid(map[string]fugong.Msg{"phone": fugong.M("villager.phone_duplicate")})
			}
			return fmt.Errorf("update villager %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		v.Phone, v.Version = masked, before.Version+1
		out = v
		return db.Audit(ctx, tx, v.County, "update", "villagers", id, villagerAudit(before, before.Phone), villagerAudit(v, masked))
	})
	return out, err
}

// RetireVillager takes a villager who moved away off the list, if its version is still
// the one read. The villager is kept, retired, not deleted: the broadcasts that reached
// them keep their recipients (broadcast_villagers), and no broadcast reaches them again.
// The phone may then be added to the village anew.
func (db *DB) RetireVillager(ctx context.Context, sc fugong.Scope, id, version int64) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.villagerAt(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		by := fugong.ActorFrom(ctx).Username
		res, err := tx.ExecContext(ctx, `UPDATE villagers SET retired_at = $1, retired_by = $2, version = version + 1 WHERE id = $3 AND version = $4 AND retired_at IS NULL`,
			db.now(), by, id, before.Version)
		if err != nil {
			return fmt.Errorf("retire villager %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		return db.Audit(ctx, tx, before.County, "retire", "villagers", id, villagerAudit(before, before.Phone), map[string]any{"retired_by": by, "version": before.Version + 1})
	})
}

// OptOut puts a phone on the county's opt-out list (退订): no broadcast reaches it again.
// A village cadre enters a villager's request (source village); the SMS gateway passes a
// TD reply on (source gateway, OptOutInbound). A phone already on the list stays as it is.
func (db *DB) OptOut(ctx context.Context, sc fugong.Scope, keys *secret.Keys, phone string) error {
	if err := db.CanBroadcast(ctx, sc); err != nil {
		return err
	}
	phone = fugong.NormalizePhone(phone)
	if k := fugong.CheckPhone(phone); k != "" || phone == "" {
		if phone == "" {
			k = "field.required"
		}
		return fugong.Invalid(map[string]fugong.Msg{"phone": fugong.M(k)})
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		return db.optOutTx(ctx, tx, keys, sc.County, phone, fugong.OptOutVillage, fugong.ActorFrom(ctx).Username)
	})
}

func (db *DB) optOutTx(ctx context.Context, q Querier, keys *secret.Keys, county, phone, source, by string) error {
	res, err := q.ExecContext(ctx, `INSERT INTO sms_optouts (region_code, phone_hash, phone_masked, source, recorded_by, at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		county, keys.Hash(phone), fugong.MaskPhone(phone), source, by, db.now())
	if err != nil {
		return fmt.Errorf("opt out: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return db.Audit(ctx, q, county, "opt_out", "sms_optouts", 0, nil, map[string]any{"phone": fugong.MaskPhone(phone), "source": source})
}

// DeleteOptOut takes a phone off the county's opt-out list when the villager asks to
// receive job news again (撤销退订), with a note of how they asked; the audit log keeps the
// opt-out as it was and the note. A phone not on the list is refused naming it.
func (db *DB) DeleteOptOut(ctx context.Context, sc fugong.Scope, keys *secret.Keys, phone, note string) error {
	if err := db.CanBroadcast(ctx, sc); err != nil {
		return err
	}
	phone, note = fugong.NormalizePhone(phone), strings.TrimSpace(note)
	f := fugong.FieldErrors{}
	if phone == "" {
		f.Add("phone", "field.required")
	} else if k := fugong.CheckPhone(phone); k != "" {
		f.Add("phone", k)
	}
	if note == "" {
		f.Add("note", "optout.note_required")
	} else if len([]rune(note)) > 200 {
		f.Add("note", "field.too_long")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		var o fugong.OptOut
		var at int64
		err := tx.QueryRowContext(ctx, `SELECT phone_masked, source, recorded_by, at FROM sms_optouts WHERE region_code = $1 AND phone_hash = $2`,
			sc.County, keys.Hash(phone)).Scan(&o.Phone, &o.Source, &o.RecordedBy, &at)
		if err == sql.ErrNoRows {
			return fugong.Invalid(map[string]fugong.Msg{"phone": fugong.M("optout.not_listed")})
		}
		if err != nil {
			return fmt.Errorf("undo opt-out: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sms_optouts WHERE region_code = $1 AND phone_hash = $2`, sc.County, keys.Hash(phone)); err != nil {
			return fmt.Errorf("undo opt-out: %w", err)
		}
		before := map[string]any{"phone": o.Phone, "source": o.Source, "recorded_by": o.RecordedBy, "at": fromMS(at)}
		return db.Audit(ctx, tx, sc.County, "delete", "sms_optouts", 0, before, map[string]any{"note": note})
	})
}

// SettingSMSInboundToken is the county setting holding the token the SMS gateway sends
// with the replies it passes on (header X-SMS-Token); empty: no replies are taken.
const SettingSMSInboundToken = "sms.inbound_token"

// OptOutInbound takes an SMS reply the gateway passes on, for the county whose inbound
// token it carries: a TD reply (fugong.IsOptOut) puts the phone on the opt-out list. It
// reports whether it did; an unknown token is a 401.
func (db *DB) OptOutInbound(ctx context.Context, keys *secret.Keys, token, phone, text string) (bool, error) {
	var county string
	if token == "" {
		return false, fugong.Errorf(fugong.EUNAUTH, "sms.inbound_token")
	}
	err := db.R.QueryRowContext(ctx, `SELECT region_code FROM settings WHERE name = $1 AND value = $2`, SettingSMSInboundToken, token).Scan(&county)
	if err != nil {
		if err == sql.ErrNoRows {
			return false, fugong.Errorf(fugong.EUNAUTH, "sms.inbound_token")
		}
		return false, err
	}
	phone = fugong.NormalizePhone(phone)
	if k := fugong.CheckPhone(phone); k != "" || phone == "" {
		return false, fugong.Invalid(map[string]fugong.Msg{"phone": fugong.M("worker.phone")})
	}
	if !fugong.IsOptOut(text) {
		return false, nil
	}
	ctx = fugong.WithActor(ctx, fugong.Actor{Username: "sms-gateway"})
	return true, db.WithTx(ctx, func(tx *sql.Tx) error {
		return db.optOutTx(ctx, tx, keys, county, phone, fugong.OptOutGateway, "sms-gateway")
	})
}

// FindOptOuts lists the county's opt-outs, masked, newest first.
func (db *DB) FindOptOuts(ctx context.Context, sc fugong.Scope, limit int) ([]fugong.OptOut, error) {
	limit, _ = page(limit, 0)
	rows, err := db.R.QueryContext(ctx, `SELECT region_code, phone_masked, source, recorded_by, at FROM sms_optouts WHERE region_code = $1 ORDER BY at DESC LIMIT $2`, sc.County, limit)
	if err != nil {
		return nil, fmt.Errorf("find opt-outs: %w", err)
	}
	defer rows.Close()
	var out []fugong.OptOut
	for rows.Next() {
		var o fugong.OptOut
		var at int64
		if err := rows.Scan(&o.County, &o.Phone, &o.Source, &o.RecordedBy, &at); err != nil {
			return nil, err
		}
		o.At = fromMS(at)
		out = append(out, o)
	}
	return out, rows.Err()
}
