// Package store keeps assessbridge's per-account state: connected Lever accounts (secrets
// encrypted at rest, with their settings), the assessment catalogue, posting→assessment mappings,
// per-posting threshold overrides, rating bands, and the Lever webhook deliveries seen lately.
// It runs on SQLite (modernc.org/sqlite, pure Go) or PostgreSQL (pgx) with the same SQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// ErrNotFound is returned (possibly wrapped) when a requested row does not exist.
var ErrNotFound = errors.New("store: not found")

// Dialect names returned by Store.Dialect.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Store is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect string
	cipher  *Cipher
	// deliveriesSwept is when (unix ms) ClaimDelivery last forgot expired deliveries.
	deliveriesSwept atomic.Int64
}

// Open connects to dsn (sqlite:/path, a bare path, a file: URI, or postgres://…), checks the
// connection and applies pending migrations. key is the 32-byte secret-encryption key.
func Open(ctx context.Context, dsn string, key []byte) (*Store, error) {
	c, err := NewCipher(key)
	if err != nil {
		return nil, err
	}
	cfg, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(cfg.driver, cfg.source)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", cfg.dialect, err)
	}
	if cfg.dialect == DialectSQLite {
		// One connection serialises writers inside the process, so SQLite never reports
		// SQLITE_BUSY to us, and a :memory: database stays one database.
		db.SetMaxOpenConns(1)
	}
	s := &Store{db: db, dialect: cfg.dialect, cipher: c}
	if err := s.firstPing(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db, cfg.dialect, migrationFiles); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// firstPing opens the first connection. Switching a new SQLite file to WAL takes a lock that
// SQLite's busy timeout does not wait for, so processes starting together on one file may see
// SQLITE_BUSY once; they try again for a few seconds.
func (s *Store) firstPing(ctx context.Context) error {
	deadline := time.Now().Add(5 * time.Second)
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		err := s.Ping(ctx)
		if err == nil || s.dialect != DialectSQLite || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// Close releases the database handle.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers; used by health checks.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", s.dialect, err)
	}
	return nil
}

// Dialect reports DialectSQLite or DialectPostgres.
func (s *Store) Dialect() string { return s.dialect }

// q adapts a query written with ? placeholders to the store's dialect.
func (s *Store) q(query string) string { return rebind(s.dialect, query) }

// inTx runs fn in a transaction, committing when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// requireAccount turns writes for unknown accounts into ErrNotFound instead of a
// driver-specific foreign-key error.
func (s *Store) requireAccount(ctx context.Context, tx *sql.Tx, accountID string) error {
	var one int
	err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM accounts WHERE id = ?`), accountID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("account %q: %w", accountID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: look up account %q: %w", accountID, err)
	}
	return nil
}
