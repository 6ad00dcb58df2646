package temporalpg

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	"go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/common/resolver"
	dbschemas "go.temporal.io/server/schema"
	pgschema "go.temporal.io/server/schema/postgresql/v12"
)

// maxConns bounds each service's pool per store: four services on two databases stay within
// PostgreSQL's default 100 connections, with room for the store and psql.
const maxConns = 10

// sqlConfig is the server's connection config for database db on the server dsn names, with the
// plugin the compose stack's server uses (DB=postgres12).
func sqlConfig(dsn, db string) (*config.SQL, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		// The DSN may hold a password: say what is wrong, not what it is.
		return nil, errors.New("postgres DSN: want postgres://user[:password]@host:port/db, got an unparsable value")
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	pw, _ := u.User.Password()
	attrs := map[string]string{}
	for k, v := range u.Query() {
		attrs[k] = v[0]
	}
	return &config.SQL{
		PluginName:        postgresql.PluginName,
		DatabaseName:      db,
		ConnectAddr:       net.JoinHostPort(host, port),
		ConnectProtocol:   "tcp",
		User:              u.User.Username(),
		Password:          pw,
		ConnectAttributes: attrs,
		MaxConns:          maxConns,
		MaxIdleConns:      maxConns,
	}, nil
}

func adminDB(cfg *config.SQL) (sqlplugin.AdminDB, error) {
	db, err := sql.NewSQLAdminDB(sqlplugin.DbKindUnknown, cfg, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", cfg.DatabaseName, err)
	}
	return db, nil
}

// validName: the plugin splices names into CREATE and DROP DATABASE unescaped, and quotes only
// the first, so only names both read the same way are accepted.
var validName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// CreateDatabases creates the named databases on the server dsn names; one that exists is left
// as it is.
func CreateDatabases(dsn string, names ...string) error {
	return onAdmin(dsn, names, func(db sqlplugin.AdminDB, name string) error {
		if err := db.CreateDatabase(name); err != nil {
			return fmt.Errorf("create database %s: %w", name, err)
		}
		return nil
	})
}

// DropDatabases drops the named databases that exist, ending the connections left to them (a
// failed test's or a killed server's).
func DropDatabases(dsn string, names ...string) error {
	return onAdmin(dsn, names, func(db sqlplugin.AdminDB, name string) error {
		drop := db.DropDatabase
		if f, ok := db.(interface{ ForceDropDatabase(string) error }); ok {
			drop = f.ForceDropDatabase
		}
		if err := drop(name); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	})
}

// onAdmin runs do for each name over one connection to the server's "postgres" database,
// going on past failures.
func onAdmin(dsn string, names []string, do func(sqlplugin.AdminDB, string) error) error {
	for _, name := range names {
		if !validName.MatchString(name) {
			return fmt.Errorf("database name %q: want lower-case letters, digits and _", name)
		}
	}
	cfg, err := sqlConfig(dsn, "postgres")
	if err != nil {
		return err
	}
	db, err := adminDB(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	var errs []error
	for _, name := range names {
		errs = append(errs, do(db, name))
	}
	return errors.Join(errs...)
}

// setupSchema brings db to the schema the server expects, as the compose stack's temporal-setup
// does with temporal-sql-tool: version tables and version 0.0 ("setup-schema -v 0.0"), then every
// versioned update newer than the database's version ("update-schema -d …/versioned"), each
// recorded in schema_version and schema_update_history. Run again, it changes nothing.
func setupSchema(cfg *config.SQL, schemaName, want string) error {
	updates, err := versionedUpdates(schemaName)
	if err != nil {
		return err
	}
	db, err := adminDB(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	name := cfg.DatabaseName
	if err := db.CreateSchemaVersionTables(); err != nil {
		return fmt.Errorf("%s: create version tables: %w", name, err)
	}
	current, err := db.ReadSchemaVersion(name)
	if err != nil || current == "" {
		current = "0.0"
		if err := db.UpdateSchemaVersion(name, current, current); err != nil {
			return fmt.Errorf("%s: set version 0.0: %w", name, err)
		}
		if err := db.WriteSchemaUpdateLog("0", current, "", "initial version"); err != nil {
			return fmt.Errorf("%s: log version 0.0: %w", name, err)
		}
	}
	for _, u := range updates {
		if compareVersions(u.CurrVersion, current) <= 0 {
			continue
		}
		for _, stmt := range u.statements {
			if err := db.Exec(stmt); err != nil {
				return fmt.Errorf("%s: update to %s: %w", name, u.CurrVersion, err)
			}
		}
		if err := db.UpdateSchemaVersion(name, u.CurrVersion, u.MinCompatibleVersion); err != nil {
			return fmt.Errorf("%s: set version %s: %w", name, u.CurrVersion, err)
		}
		if err := db.WriteSchemaUpdateLog(current, u.CurrVersion, "", u.Description); err != nil {
			return fmt.Errorf("%s: log version %s: %w", name, u.CurrVersion, err)
		}
		current = u.CurrVersion
	}
	if current != want {
		return fmt.Errorf("%s: schema at %s after the updates, want the server's %s", name, current, want)
	}
	return nil
}

// update is one versioned directory of the server's schema package.
type update struct {
	CurrVersion          string
	MinCompatibleVersion string
	Description          string
	SchemaUpdateCqlFiles []string
	statements           []string
}

// versionedUpdates reads schemaName/versioned/v*/manifest.json and their SQL from the schema
// package the server embeds, in version order.
func versionedUpdates(schemaName string) ([]update, error) {
	assets := dbschemas.Assets()
	dir := path.Join(schemaName, "versioned")
	entries, err := fs.ReadDir(assets, dir)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", schemaName, err)
	}
	var out []update
	for _, e := range entries {
		var u update
		b, err := fs.ReadFile(assets, path.Join(dir, e.Name(), "manifest.json"))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", schemaName, err)
		}
		if err := json.Unmarshal(b, &u); err != nil {
			return nil, fmt.Errorf("%s/%s manifest: %w", dir, e.Name(), err)
		}
		if "v"+u.CurrVersion != e.Name() {
			return nil, fmt.Errorf("%s/%s: manifest says version %s", dir, e.Name(), u.CurrVersion)
		}
		for _, f := range u.SchemaUpdateCqlFiles {
			sqlText, err := fs.ReadFile(assets, path.Join(dir, e.Name(), f))
			if err != nil {
				return nil, fmt.Errorf("schema %s: %w", schemaName, err)
			}
			stmts, err := persistence.LoadAndSplitQueryFromReaders([]io.Reader{strings.NewReader(string(sqlText))})
			if err != nil {
				return nil, fmt.Errorf("%s/%s/%s: %w", dir, e.Name(), f, err)
			}
			u.statements = append(u.statements, stmts...)
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b update) int { return compareVersions(a.CurrVersion, b.CurrVersion) })
	return out, nil
}

// compareVersions orders "major.minor" versions numerically (1.9 < 1.10).
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// prepare sets up both of Temporal's databases, as the compose stack's temporal-setup does, and
// returns the server's configs for them.
func prepare(dsn, temporalDB, visibilityDB string) (persistenceCfg, visibilityCfg *config.SQL, err error) {
	if persistenceCfg, err = sqlConfig(dsn, temporalDB); err != nil {
		return nil, nil, err
	}
	if visibilityCfg, err = sqlConfig(dsn, visibilityDB); err != nil {
		return nil, nil, err
	}
	if err := setupSchema(persistenceCfg, "postgresql/v12/temporal", pgschema.Version); err != nil {
		return nil, nil, err
	}
	if err := setupSchema(visibilityCfg, "postgresql/v12/visibility", pgschema.VisibilityVersion); err != nil {
		return nil, nil, err
	}
	return persistenceCfg, visibilityCfg, nil
}
