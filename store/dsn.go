package store

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

type dsnConfig struct {
	driver  string // database/sql driver name
	source  string // what the driver gets
	dialect string
}

// sqliteDefaults are applied to every SQLite connection unless the DSN sets them itself.
// busy_timeout waits out other processes' locks, WAL lets readers run beside the writer,
// foreign_keys makes ON DELETE CASCADE work, and immediate transactions take the write lock
// up front so a read-then-write transaction never fails on lock upgrade.
var sqliteDefaults = []struct{ name, param string }{
	{"busy_timeout", "_pragma=busy_timeout(5000)"},
	{"journal_mode", "_pragma=journal_mode(WAL)"},
	{"foreign_keys", "_pragma=foreign_keys(1)"},
	{"_txlock", "_txlock=immediate"},
}

// parseDSN accepts postgres://…, postgresql://…, sqlite:/path, file: URIs and bare paths.
// Errors never repeat the DSN: it may hold a password.
func parseDSN(dsn string) (dsnConfig, error) {
	dsn = strings.TrimSpace(dsn)
	lower := strings.ToLower(dsn)
	var path string
	switch {
	case dsn == "":
		return dsnConfig{}, errors.New("store: empty database dsn")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return dsnConfig{driver: "pgx", source: dsn, dialect: DialectPostgres}, nil
	case strings.HasPrefix(lower, "sqlite:"):
		// sqlite:/abs.db, sqlite:rel.db and sqlite:///abs.db all name a file.
		path = strings.TrimPrefix(dsn[len("sqlite:"):], "//")
	case strings.HasPrefix(lower, "file:"):
		path = dsn
	case strings.Contains(dsn, "://"):
		scheme, _, _ := strings.Cut(dsn, "://")
		return dsnConfig{}, fmt.Errorf("store: unsupported database scheme %q (want postgres://, sqlite: or a file path)", scheme)
	default:
		path = dsn
	}
	source, err := withSQLiteDefaults(path)
	if err != nil {
		return dsnConfig{}, err
	}
	return dsnConfig{driver: "sqlite", source: source, dialect: DialectSQLite}, nil
}

func withSQLiteDefaults(path string) (string, error) {
	base, query, _ := strings.Cut(path, "?")
	if base == "" || base == "file:" {
		return "", errors.New("store: sqlite dsn has no file name")
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("store: sqlite dsn query: %w", err)
	}
	set := map[string]bool{}
	for _, p := range values["_pragma"] {
		name, _, _ := strings.Cut(p, "(")
		name, _, _ = strings.Cut(name, "=")
		set[strings.ToLower(strings.TrimSpace(name))] = true
	}
	if values.Has("_txlock") {
		set["_txlock"] = true
	}
	params := []string{}
	if query != "" {
		params = append(params, query)
	}
	for _, d := range sqliteDefaults {
		if !set[d.name] {
			params = append(params, d.param)
		}
	}
	return base + "?" + strings.Join(params, "&"), nil
}
