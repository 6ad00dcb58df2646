package temporalpg

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

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

// sqlConfig is the server's connection config for database db on the server dsn names, with the
// plugin the compose stack's server uses (DB=postgres12).
func sqlConfig(t *testing.T, dsn, db string) *config.SQL {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		t.Fatalf("ASSESSBRIDGE_TEST_POSTGRES_DSN: want postgres://user[:password]@host:port/db, got an unparsable value")
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
		MaxConns:          10,
		MaxIdleConns:      10,
	}
}

func adminDB(t *testing.T, cfg *config.SQL) sqlplugin.AdminDB {
	t.Helper()
	db, err := sql.NewSQLAdminDB(sqlplugin.DbKindUnknown, cfg, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		t.Fatalf("connect to %s: %v", cfg.DatabaseName, err)
	}
	return db
}

// freshDatabases creates the databases one stack needs, named after a random prefix, and drops
// them when the test ends: Temporal's store, its visibility store and assessbridge's store.
func freshDatabases(t *testing.T, dsn string) (temporal, visibility, store string) {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	prefix := "abtpg_" + hex.EncodeToString(b)
	temporal, visibility, store = prefix+"_temporal", prefix+"_visibility", prefix+"_store"
	admin := adminDB(t, sqlConfig(t, dsn, "postgres"))
	for _, name := range []string{temporal, visibility, store} {
		if err := admin.CreateDatabase(name); err != nil {
			_ = admin.Close()
			t.Fatalf("create database %s: %v", name, err)
		}
	}
	t.Cleanup(func() {
		defer admin.Close()
		drop := admin.DropDatabase
		if f, ok := admin.(interface{ ForceDropDatabase(string) error }); ok {
			drop = f.ForceDropDatabase // connections of a failed test may linger
		}
		for _, name := range []string{temporal, visibility, store} {
			if err := drop(name); err != nil {
				t.Errorf("drop database %s: %v", name, err)
			}
		}
	})
	return temporal, visibility, store
}

// setupSchema brings db to the schema the server expects, as the compose stack's temporal-setup
// does with temporal-sql-tool: version tables and version 0.0 ("setup-schema -v 0.0"), then every
// versioned update newer than the database's version ("update-schema -d …/versioned"), each
// recorded in schema_version and schema_update_history. Run again, it changes nothing.
func setupSchema(t *testing.T, cfg *config.SQL, schemaName, want string) {
	t.Helper()
	db := adminDB(t, cfg)
	defer db.Close()
	if err := db.CreateSchemaVersionTables(); err != nil {
		t.Fatalf("%s: create version tables: %v", cfg.DatabaseName, err)
	}
	current, err := db.ReadSchemaVersion(cfg.DatabaseName)
	if err != nil || current == "" {
		current = "0.0"
		if err := db.UpdateSchemaVersion(cfg.DatabaseName, current, current); err != nil {
			t.Fatalf("%s: set version 0.0: %v", cfg.DatabaseName, err)
		}
		if err := db.WriteSchemaUpdateLog("0", current, "", "initial version"); err != nil {
			t.Fatalf("%s: %v", cfg.DatabaseName, err)
		}
	}
	for _, u := range versionedUpdates(t, schemaName) {
		if compareVersions(u.CurrVersion, current) <= 0 {
			continue
		}
		for _, stmt := range u.statements {
			if err := db.Exec(stmt); err != nil {
				t.Fatalf("%s: update to %s: %v", cfg.DatabaseName, u.CurrVersion, err)
			}
		}
		if err := db.UpdateSchemaVersion(cfg.DatabaseName, u.CurrVersion, u.MinCompatibleVersion); err != nil {
			t.Fatalf("%s: %v", cfg.DatabaseName, err)
		}
		if err := db.WriteSchemaUpdateLog(current, u.CurrVersion, "", u.Description); err != nil {
			t.Fatalf("%s: %v", cfg.DatabaseName, err)
		}
		current = u.CurrVersion
	}
	if current != want {
		t.Fatalf("%s: schema at %s after the updates, want the server's %s", cfg.DatabaseName, current, want)
	}
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
func versionedUpdates(t *testing.T, schemaName string) []update {
	t.Helper()
	assets := dbschemas.Assets()
	dir := path.Join(schemaName, "versioned")
	entries, err := fs.ReadDir(assets, dir)
	if err != nil {
		t.Fatalf("schema %s: %v", schemaName, err)
	}
	var out []update
	for _, e := range entries {
		var u update
		b, err := fs.ReadFile(assets, path.Join(dir, e.Name(), "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &u); err != nil {
			t.Fatalf("%s/%s manifest: %v", dir, e.Name(), err)
		}
		if "v"+u.CurrVersion != e.Name() {
			t.Fatalf("%s/%s: manifest says version %s", dir, e.Name(), u.CurrVersion)
		}
		for _, f := range u.SchemaUpdateCqlFiles {
			sqlText, err := fs.ReadFile(assets, path.Join(dir, e.Name(), f))
			if err != nil {
				t.Fatal(err)
			}
			stmts, err := persistence.LoadAndSplitQueryFromReaders([]io.Reader{strings.NewReader(string(sqlText))})
			if err != nil {
				t.Fatalf("%s/%s/%s: %v", dir, e.Name(), f, err)
			}
			u.statements = append(u.statements, stmts...)
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b update) int { return compareVersions(a.CurrVersion, b.CurrVersion) })
	return out
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

// prepare sets up both of Temporal's databases, as the compose stack's temporal-setup does.
func prepare(t *testing.T, dsn, temporalDB, visibilityDB string) (persistenceCfg, visibilityCfg *config.SQL) {
	t.Helper()
	persistenceCfg, visibilityCfg = sqlConfig(t, dsn, temporalDB), sqlConfig(t, dsn, visibilityDB)
	setupSchema(t, persistenceCfg, "postgresql/v12/temporal", pgschema.Version)
	setupSchema(t, visibilityCfg, "postgresql/v12/visibility", pgschema.VisibilityVersion)
	return persistenceCfg, visibilityCfg
}
