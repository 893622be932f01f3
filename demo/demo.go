// Package demo builds the demo county: 慈利县 as the seed tells it on 9 March 2020, from a
// deterministic generator, so that a newcomer sees the real thing in one command. Data
// that is invented is marked demo.
package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"fugong"
	"fugong/secret"
	"fugong/store"
)

// County is the demo county's code: 慈利县.
const County = "430821"

// Start is the demo clock's default start, the day the seed reports 100 % resumption.
var Start = time.Date(2020, 3, 9, 8, 0, 0, 0, shanghai())

// First is the first day of the demo's history: the county's liaisons went out on 11 February.
var First = time.Date(2020, 2, 11, 0, 0, 0, 0, shanghai())

func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Options shape the demo.
type Options struct {
	// PasswordHash is the one argon2id hash every demo account gets (hashing hundreds of
	// passwords one by one would take most of a minute).
	PasswordHash string
	Keys         *secret.Keys
	Seed         uint64
}

// Builder carries the generator's state from step to step; each capability adds a step.
type Builder struct {
	Ctx context.Context
	DB  *store.DB
	Tx  *sql.Tx
	// BulkTx is Tx as a bulk transaction: its Copy writes many rows at once (COPY on
	// PostgreSQL) and the audit lines of every step are written together at the end.
	BulkTx *store.BulkTx
	Rand   *rand.Rand
	Opts   Options
	Loc    *time.Location

	Townships []fugong.Region
	Villages  []fugong.Region // the demo villages; the seed's named ones first
	OrgUnits  map[string]fugong.OrgUnit
	Command   fugong.User
	Admin     fugong.User
	Leaders   []fugong.User
	Liaisons  []fugong.User
	Township  map[string]fugong.User // township code → its officer
	Depts     []fugong.User
	VillageU  map[string]fugong.User // village code → its cadre
	// Enterprises in id order; EnterpriseUser maps an enterprise id to its account.
	Enterprises    []fugong.Enterprise
	EnterpriseUser map[int64]fugong.User
	Projects       []fugong.KeyProject
	// LiaisonOf maps an enterprise id to its liaison.
	LiaisonOf map[int64]fugong.User
	// LeaderOf maps an enterprise id to its linked county leader, when it has one.
	LeaderOf map[int64]fugong.User

	names map[string]bool
}

// Step is one part of the demo county.
type Step struct {
	Name string
	Run  func(b *Builder) error
}

// Steps are run in order inside one transaction.
var steps = []Step{
	{"regions", buildRegions},
	{"org units", buildOrgUnits},
	{"enterprises", buildEnterprises},
	{"people", buildPeople},
	{"links", buildLinks},
	{"resumption", buildResumption},
	{"policies", buildPolicies},
	{"demands", buildDemands},
	{"health", buildHealth},
	{"liaison work", buildLiaisonWork},
	{"employment", buildEmployment},
	{"crisis", buildCrisis},
	{"power", buildPower},
}

// Exists reports whether the database already holds the demo county.
func Exists(ctx context.Context, db *store.DB) (bool, error) {
	v, err := db.Setting(ctx, County, "demo.built_at", "")
	return v != "", err
}

// Build writes the demo county in one transaction: all of it or nothing.
func Build(ctx context.Context, db *store.DB, opts Options) error {
	if opts.Seed == 0 {
		opts.Seed = 20200309
	}
	ctx = fugong.WithActor(ctx, fugong.Actor{Username: "demo"})
	return db.WithBulkTx(ctx, func(bulk *store.BulkTx) error {
		tx := bulk.Tx
		b := &Builder{Ctx: ctx, DB: db, Tx: tx, BulkTx: bulk, Rand: rand.New(rand.NewPCG(opts.Seed, 2020)), Opts: opts, Loc: shanghai(),
			OrgUnits: map[string]fugong.OrgUnit{}, Township: map[string]fugong.User{}, VillageU: map[string]fugong.User{},
			EnterpriseUser: map[int64]fugong.User{}, LiaisonOf: map[int64]fugong.User{}, LeaderOf: map[int64]fugong.User{}}
		// The demo county's rows are made here and keep the keys by construction: they
		// are checked once a table at the end rather than once a row.
		err := bulk.WithoutForeignKeys(ctx, func() error {
			for _, s := range steps {
				if err := s.Run(b); err != nil {
					return fmt.Errorf("demo %s: %w", s.Name, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Some steps insert demands directly: their figures of the day are computed once.
		if err := db.RebuildDemandStats(ctx, tx, County); err != nil {
			return err
		}
		return db.SetSetting(ctx, tx, County, "demo.built_at", Start.Format(time.RFC3339))
	})
}

// Exec runs a statement in the demo's transaction.
func (b *Builder) Exec(q string, args ...any) error {
	_, err := b.Tx.ExecContext(b.Ctx, q, args...)
	return err
}

// Day returns the date d days after First as YYYY-MM-DD.
func (b *Builder) Day(d int) string { return First.AddDate(0, 0, d).Format(time.DateOnly) }

// Pick returns a random element.
func Pick[T any](b *Builder, xs []T) T { return xs[b.Rand.IntN(len(xs))] }
