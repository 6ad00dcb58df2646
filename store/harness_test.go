package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// postgresEnv names the DSN of a PostgreSQL server for the PostgreSQL half of the tests.
const postgresEnv = "ASSESSBRIDGE_TEST_POSTGRES_DSN"

func testKey() []byte { return bytes.Repeat([]byte{0x42}, KeySize) }

func otherKey() []byte { return bytes.Repeat([]byte{0x17}, KeySize) }

// eachDialect runs body once on a fresh SQLite file and, when postgresEnv is set, once on a
// fresh PostgreSQL schema. body gets a DSN so it can open (and re-open) the database.
func eachDialect(t *testing.T, body func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		body(t, "sqlite:"+filepath.Join(t.TempDir(), "store.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		body(t, postgresSchemaDSN(t))
	})
}

// eachStore is eachDialect with the store already open.
func eachStore(t *testing.T, body func(t *testing.T, s *Store)) {
	t.Helper()
	eachDialect(t, func(t *testing.T, dsn string) { body(t, openStore(t, dsn, testKey())) })
}

func openStore(t *testing.T, dsn string, key []byte) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, key)
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// postgresSchemaDSN creates schema t_<random>, dropped at cleanup, and returns a DSN whose
// search_path points at it; it skips the test when no PostgreSQL is configured.
func postgresSchemaDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skipf("%s not set", postgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	suffix := make([]byte, 6)
	rand.Read(suffix)
	schema := "t_" + hex.EncodeToString(suffix)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// putAccount stores a minimal connected account or fails the test.
func putAccount(t *testing.T, s *Store, id string) {
	t.Helper()
	if err := s.PutAccount(context.Background(), Account{ID: id, Name: "Account " + id, Status: StatusConnected}); err != nil {
		t.Fatalf("PutAccount(%q): got error %v, want nil", id, err)
	}
}
