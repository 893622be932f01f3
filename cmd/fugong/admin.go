package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"fugong"
	"fugong/app"
	"fugong/auth"
	"fugong/i18n"
	"fugong/secret"
	"fugong/store"
)

// dbFlags are the flags of commands that only need the database.
func dbFlags(f *flags) (data, db *string) {
	return f.str("data", "data", "data folder"), f.str("db", "", "database: a postgres:// URL, or empty for SQLite in the data folder")
}

func openDB(ctx context.Context, data, db string, migrate bool) (*store.DB, error) {
	return store.Open(ctx, app.Config{Data: data, DB: db}.DSN(), nil, migrate)
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		return usagef("want: migrate up | migrate status")
	}
	f := newFlags("migrate", getenv, stdout)
	data, dsn := dbFlags(f)
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	db, err := openDB(ctx, *data, *dsn, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "up" {
		n, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d migrations applied\n", n)
		return nil
	}
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		fmt.Fprintln(stdout, s)
	}
	return nil
}

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("want: user add | passwd | list | disable | totp-reset")
	}
	sub := args[0]
	f := newFlags("user "+sub, getenv, stdout)
	data, dsn := dbFlags(f)
	username := f.str("username", "", "the account's username")
	password := f.str("password", "", "the password (at least 10 characters of two kinds, not the username, not a common one)")
	var name, role, county, region *string
	var enterprise, orgUnit *int64
	if sub == "add" {
		name = f.str("name", "", "display name")
		role = f.str("role", "", "admin, command, leader, department, township, liaison, enterprise, village, or province (a province's or city's command, read-only)")
		county = f.str("county", "430821", "the county's region code")
		region = f.str("region", "", "township or village code, for those roles; the province's or city's code (430000, 430800) for the province role")
		enterprise = f.Int64("enterprise", 0, "enterprise id, for the enterprise role")
		orgUnit = f.Int64("org-unit", 0, "org unit id, for the department role")
	}
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if sub == "add" || sub == "passwd" {
		// The rule is checked before the database is opened: a refused password leaves
		// nothing behind.
		if err := checkPassword(*username, *password); err != nil {
			return err
		}
	}
	db, err := openDB(ctx, *data, *dsn, true)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = fugong.WithActor(ctx, fugong.Actor{Username: "cli"})
	switch sub {
	case "add":
		u := fugong.User{Username: *username, DisplayName: *name, Role: fugong.Role(*role), County: *county, Region: *region, EnterpriseID: *enterprise, OrgUnitID: *orgUnit}
		if err := regionFlags(&u); err != nil {
			return err
		}
		if u.DisplayName == "" {
			u.DisplayName = u.Username
		}
		if err := u.Validate(); err != nil {
			return usagef("%s", fieldList(err))
		}
		h, err := auth.HashPassword(*password)
		if err != nil {
			return err
		}
		if err := db.CreateUser(ctx, &u, h); err != nil {
			if fugong.ErrorCode(err) == fugong.EINVALID {
				return usagef("%s", fieldList(err))
			}
			return err
		}
		fmt.Fprintf(stdout, "user %s (%s) added with id %d\n", u.Username, u.Role, u.ID)
	case "passwd":
		u, _, err := db.FindUserByUsername(ctx, *username)
		if err != nil {
			return usagef("--username: no account %q", *username)
		}
		h, err := auth.HashPassword(*password)
		if err != nil {
			return err
		}
		if err := db.SetPassword(ctx, u.ID, h); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions and tokens are ended\n", u.Username)
	case "totp-reset":
		// The last admin's lost phone: no page can help, the machine's operator can.
		u, _, err := db.FindUserByUsername(ctx, *username)
		if err != nil {
			return usagef("--username: no account %q", *username)
		}
		if err := db.SetTOTP(ctx, u, ""); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "authenticator of %s reset; their sessions and tokens are ended, and they enrol again at the next login\n", u.Username)
	case "disable":
		u, _, err := db.FindUserByUsername(ctx, *username)
		if err != nil {
			return usagef("--username: no account %q", *username)
		}
		if err := db.SetDisabled(ctx, u.ID, true); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s disabled\n", u.Username)
	case "list":
		rows, err := db.R.QueryContext(ctx, `SELECT username, role, display_name, disabled FROM users ORDER BY username`)
		if err != nil {
			return err
		}
		defer rows.Close()
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		for rows.Next() {
			var u, r, n string
			var d bool
			if err := rows.Scan(&u, &r, &n, &d); err != nil {
				return err
			}
			state := ""
			if d {
				state = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u, r, n, state)
		}
		tw.Flush()
		return rows.Err()
	default:
		return usagef("unknown user command %q: want add, passwd, list or disable", sub)
	}
	return nil
}

// regionFlags checks --county and --region against the role: a province's or city's
// command is scoped by its area's code (--region 430000), every other role belongs to one
// county, and an area code given to one of them would make an account that sees nothing.
func regionFlags(u *fugong.User) error {
	if u.Role == fugong.RoleProvince {
		if !fugong.AreaCode(u.Region) {
			return usagef("--region: the province role needs a province's or a city's region code (430000 for Hunan, 430800 for a city), not %q", u.Region)
		}
		u.County = u.Region
		return nil
	}
	if fugong.AreaCode(u.Region) || fugong.AreaCode(u.County) {
		code := u.Region
		if !fugong.AreaCode(code) {
			code = u.County
		}
		return usagef("%s is a province's or a city's region code, not a county's: the %s role belongs to one county (--county 430821); for a province's or city's command use --role province --region %s", code, u.Role, code)
	}
	if u.Role.Valid() && !fugong.CountyCode(u.County) {
		return usagef("--county: %q is not a county's region code (six digits, not ending in 00)", u.County)
	}
	return nil
}

// fieldList renders a validation error's fields for the command line, in English.
func fieldList(err error) string {
	e := fugong.AsError(err)
	var parts []string
	for f, m := range e.Fields {
		parts = append(parts, "--"+strings.ReplaceAll(f, "_", "-")+": "+m.Key)
	}
	if len(parts) == 0 {
		return e.Message.Key
	}
	return strings.Join(parts, "; ")
}

// cmdBackup copies a running SQLite database with VACUUM INTO: a consistent snapshot
// taken inside one read transaction, while the server goes on writing.
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("backup", getenv, stdout)
	data, dsn := dbFlags(f)
	out := f.String("out", "", "the backup file to write (must not exist)")
	if err := f.parse(args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out: name the backup file")
	}
	if *dsn != "" {
		return usagef("--db: back up PostgreSQL with pg_dump (see README)")
	}
	if _, err := os.Stat(*out); err == nil {
		return usagef("--out: %s exists already", *out)
	}
	db, err := openDB(ctx, *data, "", false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	fmt.Fprintf(stdout, "backup written to %s (%s bytes); copy the key file %s with it\n", *out, strconv.FormatInt(st.Size(), 10), filepath.Join(*data, "fugong.key"))
	return nil
}

// cmdRestore puts a backup in place as the data folder's database. The server must be
// stopped; a database already there is kept aside, never overwritten. The personal data
// in a backup is sealed with the key file of the server that made it: restore wants that
// key file (--key-file, or one already in the data folder) and checks that it opens the
// backup, or --new-key to start over with a new key knowingly (the sealed values of the
// backup then stay unreadable).
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("restore", getenv, stdout)
	data := f.str("data", "data", "data folder to restore into")
	in := f.String("in", "", "the backup file")
	keyFile := f.str("key-file", "", "the key file saved with the backup (default: DATA/fugong.key when it exists)")
	newKey := f.boolean("new-key", false, "restore without the backup's key file: a new key is made, the backup's sealed personal data cannot be read")
	if err := f.parse(args); err != nil {
		return err
	}
	if *in == "" {
		return usagef("--in: name the backup file")
	}
	dstKey := filepath.Join(*data, "fugong.key")
	src := *keyFile
	if src == "" {
		if _, err := os.Stat(dstKey); err == nil {
			src = dstKey
		}
	}
	if src == "" && !*newKey {
		return usagef("--key-file: name the key file saved with the backup (%s has none); --new-key starts a new key and leaves the backup's personal data unreadable", *data)
	}
	var keys *secret.Keys
	if src != "" {
		var err error
		if keys, err = secret.Load(src, false); err != nil {
			return usagef("--key-file: %v", err)
		}
	}
	dst := filepath.Join(*data, "fugong.db")
	if err := store.Restore(ctx, *in, dst, keys); err != nil {
		return err
	}
	if src != "" && src != dstKey {
		if _, err := os.Stat(dstKey); err == nil {
			// The key of the database moved aside goes aside with it.
			if err := os.Rename(dstKey, dstKey+".before-restore-"+time.Now().UTC().Format("20060102T150405")); err != nil {
				return err
			}
		}
		if err := secret.Install(src, dstKey); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", *in, dst)
	return nil
}

// checkPassword applies the domain's password rule to a --password flag and says, in
// English like every CLI message, what is wrong.
func checkPassword(username, password string) error {
	if k := fugong.CheckPassword(username, password); k != "" {
		return usagef("--password: %s", i18n.MustLoad().T(i18n.English, k))
	}
	return nil
}
