package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
	"fugong/secret"
)

const jobSeekerCols = `s.id, s.region_code, s.township, s.village, s.name, s.id_number_masked, s.phone_masked, s.age, s.gender, s.skills, s.wanted,
	s.wage_expect, s.poor, s.available, s.lat, s.lng, s.demo, s.version, s.created_at`

func scanJobSeeker(row interface{ Scan(...any) error }, s *fugong.JobSeeker, extra ...any) error {
	var skills string
	var created int64
	if err := row.Scan(append([]any{&s.ID, &s.County, &s.Township, &s.Village, &s.Name, &s.IDMasked, &s.PhoneMasked, &s.Age, &s.Gender, &skills, &s.Wanted,
		&s.WageExpect, &s.Poor, &s.Available, &s.Lat, &s.Lng, &s.Demo, &s.Version, &created}, extra...)...); err != nil {
		return err
	}
	s.Skills, s.CreatedAt = fugong.SplitWords(skills), fromMS(created)
	return nil
}

// seekerRegistrars are the roles that register job seekers: village cadres for their
// village, township officers for their villages, and the county's staff.
var seekerRegistrars = fugong.RolesFor(fugong.PermSeekerRegister)

// prepareJobSeeker checks that sc may register s in its village and validates it.
func (db *DB) prepareJobSeeker(ctx context.Context, sc fugong.Scope, s *fugong.JobSeeker, today string) error {
	if err := sc.Require(seekerRegistrars...); err != nil {
		return err
	}
	if sc.Role == fugong.RoleVillage {
		s.Village = sc.Region
	}
	s.County = sc.County
	if err := s.Validate(today); err != nil {
		return err
	}
	var a args
	var one int
	err := db.R.QueryRowContext(ctx, `SELECT 1 FROM regions r WHERE r.code = `+a.add(s.Village)+` AND r.level = 'village' AND `+RegionScope(sc, "r.code", "r.region_code", &a), a.vals...).Scan(&one)
	if err != nil {
		if fugong.ErrorCode(mapErr(err)) == fugong.ENOTFOUND {
			return fugong.Invalid(map[string]fugong.Msg{"village": fugong.M("seeker.village")})
		}
		return err
	}
	return nil
}

// CreateJobSeeker registers a job seeker: the ID number and phone are sealed, hashed for
// lookup and masked for display; a phone or ID number already registered is refused.
func (db *DB) CreateJobSeeker(ctx context.Context, sc fugong.Scope, keys *secret.Keys, s *fugong.JobSeeker, today string) error {
	if err := db.prepareJobSeeker(ctx, sc, s, today); err != nil {
		return err
	}
	s.Demo = false
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateJobSeekerTx(ctx, tx, keys, s, sc.UserID) })
}

// ImportJobSeekers registers every seeker of an import in one transaction, or none:
// each bad cell is named by fugong.CellKey, its line and field.
func (db *DB) ImportJobSeekers(ctx context.Context, sc fugong.Scope, keys *secret.Keys, ss []fugong.JobSeeker, lines []int, today string) error {
	f := fugong.FieldErrors{}
	phones, ids := map[string]int{}, map[string]int{}
	for i := range ss {
		line := lines[i]
		if err := db.prepareJobSeeker(ctx, sc, &ss[i], today); err != nil {
			if err := rowErrors(f, line, err); err != nil {
				return err
			}
			continue
		}
		if prev, dup := phones[ss[i].Phone]; dup {
			f.Add(fugong.CellKey(line, "phone"), "seeker.duplicate_in_file", prev)
		}
		phones[ss[i].Phone] = lines[i]
		if ss[i].IDNumber != "" {
			if prev, dup := ids[ss[i].IDNumber]; dup {
				f.Add(fugong.CellKey(line, "id_number"), "seeker.duplicate_in_file", prev)
			}
			ids[ss[i].IDNumber] = lines[i]
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for i := range ss {
			if err := db.CreateJobSeekerTx(ctx, tx, keys, &ss[i], sc.UserID); err != nil {
				if err := rowErrors(f, lines[i], err); err != nil {
					return err
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		return db.Audit(ctx, tx, sc.County, "import", "job_seekers", "", nil, map[string]int{"count": len(ss)})
	})
}

// CreateJobSeekerTx saves a validated seeker inside the caller's transaction.
func (db *DB) CreateJobSeekerTx(ctx context.Context, q Querier, keys *secret.Keys, s *fugong.JobSeeker, by int64) error {
	phoneHash := keys.Hash(s.Phone)
	var one int
	// Checked before the insert: on PostgreSQL a failed insert would end an import's
	// transaction. Duplicates are looked for in the seeker's village only, the scope of
	// the village cadre who registers them: a refusal for a registration elsewhere in the
	// county would tell them whether any phone or ID number is registered there.
	if err := q.QueryRowContext(ctx, `SELECT 1 FROM job_seekers WHERE region_code = $1 AND village = $2 AND phone_hash = $3`, s.County, s.Village, phoneHash).Scan(&one); err == nil {
		return fugong.Invalid(map[string]fugong.Msg{"phone": fugong.M("seeker.duplicate_phone")})
	} else if err != sql.ErrNoRows {
		return err
	}
	idHash := ""
	if s.IDNumber != "" {
		idHash = keys.Hash(s.IDNumber)
		err := q.QueryRowContext(ctx, `SELECT 1 FROM job_seekers WHERE region_code = $1 AND village = $2 AND id_number_hash = $3`, s.County, s.Village, idHash).Scan(&one)
		if err == nil {
			return fugong.Invalid(map[string]fugong.Msg{"id_number": fugong.M("seeker.duplicate_id_number")})
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	s.IDMasked, s.PhoneMasked = fugong.MaskIDNumber(s.IDNumber), fugong.MaskPhone(s.Phone)
	now := db.now()
	err := q.QueryRowContext(ctx, `INSERT INTO job_seekers (region_code, township, village, name, id_number_sealed, id_number_hash, id_number_masked,
		phone_sealed, phone_hash, phone_masked, age, gender, skills, wanted, wage_expect, poor, available, lat, lng, demo, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id`,
		s.County, s.Township, s.Village, s.Name, keys.Seal(s.IDNumber), idHash, s.IDMasked, keys.Seal(s.Phone), phoneHash, s.PhoneMasked,
		s.Age, s.Gender, strings.Join(s.Skills, ","), s.Wanted, s.WageExpect, s.Poor, s.Available, s.Lat, s.Lng, s.Demo, by, now).Scan(&s.ID)
	if err != nil {
		err = mapErr(err)
		if fugong.ErrorCode(err) == fugong.ECONFLICT {
			return fugong.Invalid(map[string]fugong.Msg{"phone": fugong.M("seeker.duplicate_phone")})
		}
		return fmt.Errorf("create job seeker: %w", err)
	}
	s.Version, s.CreatedAt = 1, fromMS(now)
	// The audit line holds the masked values only: the clear ones carry json:"-".
	return db.Audit(ctx, q, s.County, "create", "job_seekers", s.ID, nil, s)
}

// seekerScope limits job seekers to the caller's region: a village cadre their village,
// a township its villages, county-wide roles and departments the county.
func seekerScope(sc fugong.Scope, a *args) string {
	return SeekerScope(sc, "s.village", "s.region_code", a)
}

// FindJobSeeker returns one seeker in the caller's scope, masked.
func (db *DB) FindJobSeeker(ctx context.Context, sc fugong.Scope, id int64) (fugong.JobSeeker, error) {
	var a args
	var s fugong.JobSeeker
	err := scanJobSeeker(db.R.QueryRowContext(ctx, `SELECT `+jobSeekerCols+` FROM job_seekers s WHERE s.id = `+a.add(id)+` AND `+seekerScope(sc, &a), a.vals...), &s)
	return s, mapErr(err)
}

// FindJobSeekers lists the seekers in the caller's scope that match f, masked: poor
// households first, then by registration.
func (db *DB) FindJobSeekers(ctx context.Context, sc fugong.Scope, f fugong.JobSeekerFilter) ([]fugong.JobSeeker, int, error) {
	var a args
	c := []string{seekerScope(sc, &a)}
	if f.Village != "" {
		c = append(c, "s.village = "+a.add(f.Village))
	}
	if f.Township != "" {
		c = append(c, "s.township = "+a.add(f.Township))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		x := a.add(like(q))
		c = append(c, "(lower(s.name) LIKE "+x+` ESCAPE '\' OR lower(s.skills) LIKE `+x+` ESCAPE '\' OR lower(s.wanted) LIKE `+x+` ESCAPE '\')`)
	}
	if f.Poor != nil {
		c = append(c, "s.poor = "+a.add(*f.Poor))
	}
	limit, offset := page(f.Limit, f.Offset)
	n := len(a.vals)
	rows, err := db.R.QueryContext(ctx, `SELECT `+jobSeekerCols+`, COUNT(*) OVER() FROM job_seekers s`+where(c)+
		` ORDER BY s.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find job seekers: %w", err)
	}
	defer rows.Close()
	var out []fugong.JobSeeker
	total := 0
	for rows.Next() {
		var s fugong.JobSeeker
		if err := scanJobSeeker(rows, &s, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 {
		err = db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM job_seekers s`+where(c), a.vals[:n]...).Scan(&total)
	}
	return out, total, err
}

// UnmaskJobSeeker returns a seeker with the ID number and phone in clear, for a role that
// may see them, and writes the view to the audit log.
func (db *DB) UnmaskJobSeeker(ctx context.Context, sc fugong.Scope, keys *secret.Keys, id int64) (fugong.JobSeeker, error) {
	if !sc.CanSeeUnmasked() {
		return fugong.JobSeeker{}, fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
	}
	var out fugong.JobSeeker
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		var a args
		var idSealed, phoneSealed string
		err := scanJobSeeker(tx.QueryRowContext(ctx, `SELECT `+jobSeekerCols+`, s.id_number_sealed, s.phone_sealed FROM job_seekers s WHERE s.id = `+a.add(id)+
			` AND `+seekerScope(sc, &a), a.vals...), &out, &idSealed, &phoneSealed)
		if err != nil {
			return mapErr(err)
		}
		if out.IDNumber, err = keys.Open(idSealed); err != nil {
			return fmt.Errorf("open id number of seeker %d: %w", id, err)
		}
		if out.Phone, err = keys.Open(phoneSealed); err != nil {
			return fmt.Errorf("open phone of seeker %d: %w", id, err)
		}
		return db.Audit(ctx, tx, out.County, "unmask", "job_seekers", id, nil, map[string]string{"fields": "id_number,phone"})
	})
	return out, err
}

// FindJobSeekerByPhone finds a seeker in scope by phone through its keyed hash.
func (db *DB) FindJobSeekerByPhone(ctx context.Context, sc fugong.Scope, keys *secret.Keys, phone string) (fugong.JobSeeker, error) {
	var a args
	var s fugong.JobSeeker
	err := scanJobSeeker(db.R.QueryRowContext(ctx, `SELECT `+jobSeekerCols+` FROM job_seekers s WHERE s.phone_hash = `+a.add(keys.Hash(fugong.NormalizePhone(phone)))+
		` AND `+seekerScope(sc, &a), a.vals...), &s)
	return s, mapErr(err)
}
