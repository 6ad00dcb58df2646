package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDSN(t *testing.T) {
	const defaults = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	tests := []struct {
		name        string
		in          string
		wantDialect string
		wantSource  string
		wantErr     bool
	}{
		{name: "postgres", in: "postgres://u:p@db:5432/ab?sslmode=disable", wantDialect: DialectPostgres, wantSource: "postgres://u:p@db:5432/ab?sslmode=disable"},
		{name: "postgresql", in: "postgresql://db/ab", wantDialect: DialectPostgres, wantSource: "postgresql://db/ab"},
		{name: "sqlite absolute", in: "sqlite:/var/lib/ab.db", wantDialect: DialectSQLite, wantSource: "/var/lib/ab.db?" + defaults},
		{name: "sqlite triple slash", in: "sqlite:///var/lib/ab.db", wantDialect: DialectSQLite, wantSource: "/var/lib/ab.db?" + defaults},
		{name: "sqlite relative", in: "sqlite:ab.db", wantDialect: DialectSQLite, wantSource: "ab.db?" + defaults},
		{name: "bare path", in: "/data/ab.db", wantDialect: DialectSQLite, wantSource: "/data/ab.db?" + defaults},
		{name: "memory", in: ":memory:", wantDialect: DialectSQLite, wantSource: ":memory:?" + defaults},
		{name: "file uri keeps its query", in: "file:/data/ab.db?mode=rwc", wantDialect: DialectSQLite, wantSource: "file:/data/ab.db?mode=rwc&" + defaults},
		{
			name: "own pragma wins", in: "sqlite:/d/ab.db?_pragma=busy_timeout(100)&_txlock=deferred", wantDialect: DialectSQLite,
			wantSource: "/d/ab.db?_pragma=busy_timeout(100)&_txlock=deferred&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)",
		},
		{name: "empty", in: "  ", wantErr: true},
		{name: "sqlite without file", in: "sqlite:", wantErr: true},
		{name: "file without name", in: "file:?mode=memory", wantErr: true},
		{name: "mysql", in: "mysql://root:hunter2@db/ab", wantErr: true},
		{name: "bad query", in: "/d/ab.db?a=%zz", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDSN(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseDSN(%q): got %+v, want an error", tt.in, got)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error: got %q, want no password in it", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseDSN(%q): got error %v, want nil", tt.in, err)
			}
			if got.dialect != tt.wantDialect || got.source != tt.wantSource {
				t.Errorf("parseDSN(%q): got %s %q, want %s %q", tt.in, got.dialect, got.source, tt.wantDialect, tt.wantSource)
			}
		})
	}
}

func TestOpenSQLiteForms(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name        string
		dsn         string
		wantJournal string
	}{
		{"sqlite scheme", "sqlite:" + filepath.Join(dir, "a.db"), "wal"},
		{"bare path", filepath.Join(dir, "b.db"), "wal"},
		{"file uri", "file:" + filepath.Join(dir, "c.db") + "?mode=rwc", "wal"},
		{"memory", ":memory:", "memory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openStore(t, tt.dsn, testKey())
			if s.Dialect() != DialectSQLite {
				t.Errorf("Dialect: got %q, want %q", s.Dialect(), DialectSQLite)
			}
			mustDo(t, "Ping", s.Ping(ctx))
			pragmas := []struct{ name, want string }{
				{"journal_mode", tt.wantJournal},
				{"foreign_keys", "1"},
				{"busy_timeout", "5000"},
			}
			for _, p := range pragmas {
				var got string
				mustDo(t, "pragma "+p.name, s.db.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(&got))
				if got != p.want {
					t.Errorf("PRAGMA %s: got %q, want %q", p.name, got, p.want)
				}
			}
			putAccount(t, s, "acme")
			if _, err := s.Account(ctx, "acme"); err != nil {
				t.Errorf("Account: got error %v, want nil", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		dsn  string
		key  []byte
	}{
		{"short key", ":memory:", make([]byte, 16)},
		{"no key", ":memory:", nil},
		{"unsupported scheme", "mysql://root:hunter2@127.0.0.1/ab", testKey()},
		{"postgres unreachable", "postgres://ab:hunter2@127.0.0.1:1/ab?sslmode=disable&connect_timeout=2", testKey()},
		{"sqlite directory missing", "sqlite:" + filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"), testKey()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.dsn, tt.key)
			if err == nil {
				s.Close()
				t.Fatalf("Open: got nil error, want an error")
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("Open error: got %q, want no password in it", err)
			}
		})
	}
}

func TestDialect(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn, testKey())
		want := DialectSQLite
		if strings.HasPrefix(dsn, "postgres") {
			want = DialectPostgres
		}
		if got := s.Dialect(); got != want {
			t.Errorf("Dialect: got %q, want %q", got, want)
		}
		mustDo(t, "Ping", s.Ping(context.Background()))
	})
}
