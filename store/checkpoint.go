package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"fugong"
	"fugong/secret"
)

// Who registers at checkpoints and screens villages.
var screeners = fugong.RolesFor(fugong.PermCheckpointScreen)

// checkpointScope limits checkpoints to the county, a township's own, and for a village
// cadre the checkpoints of their township (the seed's 秦明树 of 凤鹤山村 stands at 三合镇's).
func checkpointScope(sc fugong.Scope, a *args) string {
	if sc.Role == fugong.RoleVillage {
		if len(sc.Region) < 9 {
			return "1 = 0"
		}
		return "c.township = " + a.add(sc.Region[:9]+"000")
	}
	return RegionScope(sc, "c.township", "c.region_code", a)
}

const checkpointCols = `c.id, c.region_code, c.name, c.township, c.location, c.opened_on, c.demo,
	(SELECT COUNT(*) FROM checkpoint_entries x WHERE x.checkpoint_id = c.id), (SELECT COUNT(*) FROM checkpoint_entries x WHERE x.checkpoint_id = c.id AND x.fever)`

func scanCheckpoint(row interface{ Scan(...any) error }, c *fugong.Checkpoint, extra ...any) error {
	return row.Scan(append([]any{&c.ID, &c.County, &c.Name, &c.Township, &c.Location, &c.OpenedOn, &c.Demo, &c.Entries, &c.Fevers}, extra...)...)
}

// FindCheckpoints lists the checkpoints in the caller's scope with their counts.
func (db *DB) FindCheckpoints(ctx context.Context, sc fugong.Scope, f fugong.CheckpointFilter) ([]fugong.Checkpoint, int, error) {
	var a args
	c := []string{checkpointScope(sc, &a)}
	if f.Township != "" {
		c = append(c, "c.township = "+a.add(f.Township))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+checkpointCols+`, COUNT(*) OVER() FROM checkpoints c`+where(c)+` ORDER BY c.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find checkpoints: %w", err)
	}
	defer rows.Close()
	var out []fugong.Checkpoint
	total := 0
	for rows.Next() {
		var x fugong.Checkpoint
		if err := scanCheckpoint(rows, &x, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// FindCheckpoint returns one checkpoint in the caller's scope.
func (db *DB) FindCheckpoint(ctx context.Context, sc fugong.Scope, id int64) (fugong.Checkpoint, error) {
	return db.findCheckpoint(ctx, db.R, sc, id)
}

func (db *DB) findCheckpoint(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Checkpoint, error) {
	var a args
	var c fugong.Checkpoint
	err := scanCheckpoint(q.QueryRowContext(ctx, `SELECT `+checkpointCols+` FROM checkpoints c WHERE c.id = `+a.add(id)+` AND `+checkpointScope(sc, &a), a.vals...), &c)
	return c, mapErr(err)
}

// CreateCheckpointTx writes a checkpoint inside the caller's transaction.
func (db *DB) CreateCheckpointTx(ctx context.Context, q Querier, c *fugong.Checkpoint) error {
	if err := q.QueryRowContext(ctx, `INSERT INTO checkpoints (region_code, name, township, location, opened_on, demo) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		c.County, c.Name, c.Township, c.Location, c.OpenedOn, c.Demo).Scan(&c.ID); err != nil {
		return fmt.Errorf("create checkpoint: %w", err)
	}
	return db.Audit(ctx, q, c.County, "create", "checkpoints", c.ID, nil, c)
}

// CreateShiftTx writes a checkpoint's shift inside the caller's transaction.
func (db *DB) CreateShiftTx(ctx context.Context, q Querier, county string, s *fugong.CheckpointShift) error {
	return q.QueryRowContext(ctx, `INSERT INTO checkpoint_shifts (region_code, checkpoint_id, day, shift, staff, village) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		county, s.CheckpointID, s.Day, s.Shift, s.Staff, s.Village).Scan(&s.ID)
}

// FindShifts lists a checkpoint's shifts, first first.
func (db *DB) FindShifts(ctx context.Context, sc fugong.Scope, id int64) ([]fugong.CheckpointShift, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT s.id, s.checkpoint_id, s.day, s.shift, s.staff, s.village FROM checkpoint_shifts s JOIN checkpoints c ON c.id = s.checkpoint_id
		WHERE s.checkpoint_id = `+a.add(id)+` AND `+checkpointScope(sc, &a)+` ORDER BY s.day, s.id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find shifts: %w", err)
	}
	defer rows.Close()
	var out []fugong.CheckpointShift
	for rows.Next() {
		var s fugong.CheckpointShift
		if err := rows.Scan(&s.ID, &s.CheckpointID, &s.Day, &s.Shift, &s.Staff, &s.Village); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// CreateCheckpointEntry registers a vehicle or person at a checkpoint in the caller's
// scope; the ID number and phone are sealed, and a fever alerts the command at once.
func (db *DB) CreateCheckpointEntry(ctx context.Context, sc fugong.Scope, keys *secret.Keys, e *fugong.CheckpointEntry, text Text) error {
	if err := sc.Require(screeners...); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if err := e.CheckAt(db.Clock.Now()); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		c, err := db.findCheckpoint(ctx, tx, sc, e.CheckpointID)
		if err != nil {
			return err
		}
		if err := db.CreateCheckpointEntryTx(ctx, tx, keys, c, e); err != nil {
			return err
		}
		if !e.Fever {
			return nil
		}
		// The notice (in the app and on the robots) names the checkpoint and links to the
		// registration: the notifications table keeps no health record in clear.
		return db.alertCommand(ctx, tx, c.County, "checkpoint_entries", strconv.FormatInt(e.ID, 10), text("checkpoint.n.subject", c.Name),
			text("checkpoint.n.fever", c.Name))
	})
}

// CheckpointOfEntry returns the checkpoint of a registration in the caller's scope: where
// a fever notice links to.
func (db *DB) CheckpointOfEntry(ctx context.Context, sc fugong.Scope, entryID int64) (int64, error) {
	var a args
	var id int64
	err := db.R.QueryRowContext(ctx, `SELECT x.checkpoint_id FROM checkpoint_entries x JOIN checkpoints c ON c.id = x.checkpoint_id WHERE x.id = `+a.add(entryID)+
		` AND `+checkpointScope(sc, &a), a.vals...).Scan(&id)
	return id, mapErr(err)
}

// CreateCheckpointEntryTx writes a validated registration inside the caller's transaction.
func (db *DB) CreateCheckpointEntryTx(ctx context.Context, q Querier, keys *secret.Keys, c fugong.Checkpoint, e *fugong.CheckpointEntry) error {
	e.County = c.County
	if e.At.IsZero() {
		e.At = db.Clock.Now()
	}
	if e.Username == "" {
		e.Username = fugong.ActorFrom(ctx).Username
	}
	idSealed, idHash, phone := sealPersonal(keys, e.IDNumber, e.Phone)
	health, err := sealHealth(keys, entryHealth{e.Origin, e.Temperature})
	if err != nil {
		return err
	}
	if err := q.QueryRowContext(ctx, `INSERT INTO checkpoint_entries (region_code, checkpoint_id, at, plate, name, id_number, id_hash, phone, origin, temperature, fever, username, demo, health_sealed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', 0, $9, $10, $11, $12) RETURNING id`,
		c.County, c.ID, ms(e.At), e.Plate, e.Name, idSealed, idHash, phone, e.Fever, e.Username, e.Demo, health).Scan(&e.ID); err != nil {
		return fmt.Errorf("create checkpoint entry: %w", err)
	}
	masked := *e
	masked.IDNumber, masked.Phone = fugong.MaskIDNumber(e.IDNumber), fugong.MaskPhone(e.Phone)
	masked.Origin, masked.Temperature = "", 0 // the audit log keeps no health record in clear
	return db.Audit(ctx, q, c.County, "register", "checkpoints", c.ID, nil, masked)
}

// entryHealth and screeningHealth are the health records of a registration and of a
// screening, sealed together as one value (JSON) per row.
type entryHealth struct {
	Origin      string `json:"o"`
	Temperature int    `json:"t"`
}

type screeningHealth struct {
	FromRegion     string `json:"o"`
	IsolationUntil string `json:"i"`
	Needs          string `json:"n"`
	Temperature    int    `json:"t"`
}

func sealHealth(keys *secret.Keys, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return keys.Seal(string(b)), nil
}

// openHealth opens a sealed health record into v; a row written before sealing has
// none and keeps its clear columns.
func openHealth(keys *secret.Keys, sealed string, v any) error {
	if sealed == "" {
		return nil
	}
	s, err := keys.Open(sealed)
	if err != nil {
		return fmt.Errorf("open health record: %w", err)
	}
	return json.Unmarshal([]byte(s), v)
}

// sealPersonal seals an ID number and a phone and hashes the ID number for lookup.
func sealPersonal(keys *secret.Keys, id, phone string) (string, string, string) {
	var idSealed, idHash, ph string
	if id != "" {
		idSealed, idHash = keys.Seal(id), keys.Hash(id)
	}
	if phone != "" {
		ph = keys.Seal(phone)
	}
	return idSealed, idHash, ph
}

// openPersonal opens sealed values and masks them unless unmask is set.
func openPersonal(keys *secret.Keys, unmask bool, id, phone *string) {
	for _, p := range []struct {
		v    *string
		mask func(string) string
	}{{id, fugong.MaskIDNumber}, {phone, fugong.MaskPhone}} {
		if *p.v == "" {
			continue
		}
		plain, err := keys.Open(*p.v)
		if err != nil {
			*p.v = ""
			continue
		}
		if !unmask {
			plain = p.mask(plain)
		}
		*p.v = plain
	}
}

// FindCheckpointEntries lists a checkpoint's registrations, newest first, masked; with
// unmask (for a role that may see personal data) in clear, and the view is audited.
func (db *DB) FindCheckpointEntries(ctx context.Context, sc fugong.Scope, keys *secret.Keys, id int64, unmask bool, limit, offset int) ([]fugong.CheckpointEntry, int, error) {
	unmask = unmask && sc.CanSeeUnmasked()
	var a args
	limit, offset = page(limit, offset)
	rows, err := db.R.QueryContext(ctx, `SELECT x.id, x.region_code, x.checkpoint_id, x.at, x.plate, x.name, x.id_number, x.phone, x.origin, x.temperature, x.fever, x.username, x.demo, x.health_sealed, COUNT(*) OVER()
		FROM checkpoint_entries x JOIN checkpoints c ON c.id = x.checkpoint_id WHERE x.checkpoint_id = `+a.add(id)+` AND `+checkpointScope(sc, &a)+
		` ORDER BY x.at DESC, x.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find checkpoint entries: %w", err)
	}
	defer rows.Close()
	var out []fugong.CheckpointEntry
	total := 0
	for rows.Next() {
		var e fugong.CheckpointEntry
		var at int64
		var health string
		if err := rows.Scan(&e.ID, &e.County, &e.CheckpointID, &at, &e.Plate, &e.Name, &e.IDNumber, &e.Phone, &e.Origin, &e.Temperature, &e.Fever, &e.Username, &e.Demo, &health, &total); err != nil {
			return nil, 0, err
		}
		h := entryHealth{e.Origin, e.Temperature}
		if err := openHealth(keys, health, &h); err != nil {
			return nil, 0, err
		}
		e.Origin, e.Temperature = h.Origin, h.Temperature
		e.At = fromMS(at)
		openPersonal(keys, unmask, &e.IDNumber, &e.Phone)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if unmask && len(out) > 0 {
		// One line per registration seen in clear, as for workers: the hourly unmask
		// limit (AllowBulkUnmask) counts these lines.
		err := db.WithTx(ctx, func(tx *sql.Tx) error {
			for _, e := range out {
				if err := db.Audit(ctx, tx, sc.County, "unmask", "checkpoint_entries", e.ID, nil, map[string]any{"checkpoint_id": id, "fields": "id_number,phone"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// screeningScope limits screenings to the county, a township's villages, or a village's own.
func screeningScope(sc fugong.Scope, a *args) string {
	return RegionScope(sc, "s.village", "s.region_code", a)
}

// CreateScreening records a door-to-door screening; a village cadre's lies in their
// village. A fever found at the door alerts the command, as at a checkpoint.
func (db *DB) CreateScreening(ctx context.Context, sc fugong.Scope, keys *secret.Keys, s *fugong.Screening, text Text) error {
	if err := sc.Require(screeners...); err != nil {
		return err
	}
	if sc.Role == fugong.RoleVillage {
		s.Village = sc.Region
	}
	if err := s.Validate(); err != nil {
		return err
	}
	var a args
	var one int
	if err := db.R.QueryRowContext(ctx, `SELECT 1 FROM regions r WHERE r.code = `+a.add(s.Village)+` AND r.level = 'village' AND `+RegionScope(sc, "r.code", "r.region_code", &a), a.vals...).Scan(&one); err != nil {
		return fugong.Invalid(map[string]fugong.Msg{"village": fugong.M("screening.village")})
	}
	s.County = sc.County
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		if err := db.CreateScreeningTx(ctx, tx, keys, s); err != nil {
			return err
		}
		if !fugong.Fever(s.Temperature) {
			return nil
		}
		return db.alertCommand(ctx, tx, s.County, "screenings", strconv.FormatInt(s.ID, 10), text("screening.n.subject"),
			text("screening.n.fever", s.Day))
	})
}

// CreateScreeningTx writes a validated screening inside the caller's transaction.
func (db *DB) CreateScreeningTx(ctx context.Context, q Querier, keys *secret.Keys, s *fugong.Screening) error {
	if s.ScreenedBy == "" {
		s.ScreenedBy = fugong.ActorFrom(ctx).Username
	}
	if s.Day == "" {
		s.Day = db.Today()
	}
	idSealed, idHash, phone := sealPersonal(keys, s.IDNumber, s.Phone)
	health, err := sealHealth(keys, screeningHealth{s.FromRegion, s.IsolationUntil, s.Needs, s.Temperature})
	if err != nil {
		return err
	}
	if err := q.QueryRowContext(ctx, `INSERT INTO screenings (region_code, village, name, id_number, id_hash, phone, from_region, returned_on, isolation_until, needs, temperature, screened_by, day, demo, health_sealed)
		VALUES ($1, $2, $3, $4, $5, $6, '', $7, '', '', 0, $8, $9, $10, $11) RETURNING id`,
		s.County, s.Village, s.Name, idSealed, idHash, phone, s.ReturnedOn, s.ScreenedBy, s.Day, s.Demo, health).Scan(&s.ID); err != nil {
		return fmt.Errorf("create screening: %w", err)
	}
	masked := *s
	masked.IDNumber, masked.Phone = fugong.MaskIDNumber(s.IDNumber), fugong.MaskPhone(s.Phone)
	masked.FromRegion, masked.IsolationUntil, masked.Needs, masked.Temperature = "", "", "", 0 // no health record in clear in the audit log
	return db.Audit(ctx, q, s.County, "create", "screenings", s.ID, nil, masked)
}

// FindScreenings lists the screenings in the caller's scope, masked, newest first.
func (db *DB) FindScreenings(ctx context.Context, sc fugong.Scope, keys *secret.Keys, limit, offset int) ([]fugong.Screening, int, error) {
	var a args
	limit, offset = page(limit, offset)
	today := db.Today()
	rows, err := db.R.QueryContext(ctx, `SELECT s.id, s.region_code, s.village, s.name, s.id_number, s.phone, s.from_region, s.returned_on, s.isolation_until, s.needs, s.temperature,
		s.screened_by, s.day, s.demo, s.health_sealed, COALESCE(k.id, 0), COALESCE(k.health_sealed, ''), COUNT(*) OVER()
		FROM screenings s LEFT JOIN screening_checks k ON k.screening_id = s.id AND k.day = `+a.add(today)+` WHERE `+screeningScope(sc, &a)+
		` ORDER BY s.day DESC, s.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find screenings: %w", err)
	}
	defer rows.Close()
	var out []fugong.Screening
	total := 0
	for rows.Next() {
		var s fugong.Screening
		var health, checkHealth string
		var checkID int64
		if err := rows.Scan(&s.ID, &s.County, &s.Village, &s.Name, &s.IDNumber, &s.Phone, &s.FromRegion, &s.ReturnedOn, &s.IsolationUntil, &s.Needs, &s.Temperature,
			&s.ScreenedBy, &s.Day, &s.Demo, &health, &checkID, &checkHealth, &total); err != nil {
			return nil, 0, err
		}
		if checkID != 0 {
			var k screeningHealthCheck
			if err := openHealth(keys, checkHealth, &k); err != nil {
				return nil, 0, err
			}
			s.Today = &fugong.ScreeningCheck{ID: checkID, ScreeningID: s.ID, Day: today, Temperature: k.Temperature, Symptoms: k.Symptoms, Fever: fugong.Fever(k.Temperature) || k.Symptoms != ""}
		}
		h := screeningHealth{s.FromRegion, s.IsolationUntil, s.Needs, s.Temperature}
		if err := openHealth(keys, health, &h); err != nil {
			return nil, 0, err
		}
		s.FromRegion, s.IsolationUntil, s.Needs, s.Temperature = h.FromRegion, h.IsolationUntil, h.Needs, h.Temperature
		openPersonal(keys, false, &s.IDNumber, &s.Phone)
		out = append(out, s)
	}
	return out, total, rows.Err()
}
