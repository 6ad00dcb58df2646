package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the pg_advisory_xact_lock key that serialises concurrent starters
// migrating the same PostgreSQL database ("assessbridge" in ASCII).
const migrationLockKey int64 = 0x6173736573736272

type migration struct {
	version int64
	name    string
	sql     string
}

// loadMigrations reads migrations/NNNN_name.sql from fsys, ordered by version.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: list migrations: %w", err)
	}
	var ms []migration
	seen := map[int64]string{}
	for _, name := range names {
		base := path.Base(name)
		digits, _, ok := strings.Cut(base, "_")
		version, err := strconv.ParseInt(digits, 10, 64)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("store: migration %q: name must be NNNN_name.sql", base)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("store: migrations %q and %q share version %d", other, base, version)
		}
		seen[version] = base
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("store: read migration %q: %w", base, err)
		}
		ms = append(ms, migration{version: version, name: base, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies, in order, every migration not yet recorded in schema_migrations, each in
// its own transaction together with its record.
func migrate(ctx context.Context, db *sql.DB, dialect string, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := applyMigration(ctx, db, dialect, m); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration checks and applies m under a lock, so two processes starting together
// apply it once: PostgreSQL via an advisory lock, SQLite via BEGIN IMMEDIATE (_txlock).
func applyMigration(ctx context.Context, db *sql.DB, dialect string, m migration) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: begin: %w", m.name, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if dialect == DialectPostgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
			return fmt.Errorf("store: migration %s: lock: %w", m.name, err)
		}
	}
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT NOT NULL PRIMARY KEY,
		applied_at BIGINT NOT NULL)`
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	var n int
	err = tx.QueryRowContext(ctx, rebind(dialect, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n)
	if err != nil {
		return fmt.Errorf("store: migration %s: check: %w", m.name, err)
	}
	if n > 0 {
		return tx.Rollback() // already applied: nothing to keep
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	_, err = tx.ExecContext(ctx, rebind(dialect, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
		m.version, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("store: migration %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: commit: %w", m.name, err)
	}
	return nil
}
