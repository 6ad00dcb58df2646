package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Tokens is an account's OAuth token set.
type Tokens struct {
	Access, Refresh string
	Expiry          time.Time
}

// String redacts the tokens so a Tokens printed by mistake leaks nothing.
func (t Tokens) String() string {
	return fmt.Sprintf("store.Tokens{Expiry:%s secrets:redacted}", t.Expiry.Format(time.RFC3339))
}

// GoString is String for %#v.
func (t Tokens) GoString() string { return t.String() }

// saveTimeout bounds the write and commit once fn has handed back tokens to save. ctx no
// longer applies then: Lever has already rotated the pair, and abandoning the commit
// would lose the only copy of the new refresh token.
const saveTimeout = 10 * time.Second

// UpdateTokens runs fn inside one write transaction that holds the account's row lock
// (PostgreSQL: SELECT … FOR UPDATE; SQLite: the immediate write transaction), passing the
// tokens as stored now. When fn returns save=true the new tokens are written in the same
// transaction. Processes refreshing the same account therefore take turns, and each sees
// what the previous one saved. It returns the tokens stored when it is done: next when
// saved, cur otherwise. ErrNotFound for an unknown account.
//
// fn's error is returned as it is and nothing is written. fn must not use this Store: on
// SQLite the transaction holds the process's only connection until fn returns.
// ctx bounds the wait for the lock and the time fn runs; after fn returned tokens to save,
// the write and commit run to completion (bounded by saveTimeout) even if ctx ends.
func (s *Store) UpdateTokens(ctx context.Context, accountID string,
	fn func(cur Tokens) (next Tokens, save bool, err error)) (Tokens, error) {
	// txCtx follows ctx until fn has returned, then is detached from it (see saveTimeout).
	txCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	detach := context.AfterFunc(ctx, cancel)
	defer detach()

	tx, err := s.beginLocking(txCtx)
	if err != nil {
		return Tokens{}, fmt.Errorf("store: update tokens of account %q: begin: %w", accountID, err)
	}
	defer tx.Rollback() // a no-op after Commit

	cur, err := s.lockTokens(txCtx, tx, accountID)
	if err != nil {
		return Tokens{}, err
	}
	if err := ctx.Err(); err != nil {
		// Ended while we waited (txCtx learns of it a moment later): fn must not start work
		// whose result could no longer be saved.
		return Tokens{}, fmt.Errorf("store: update tokens of account %q: %w", accountID, context.Cause(ctx))
	}
	next, save, err := fn(cur)
	if err != nil {
		return Tokens{}, err
	}
	if !save {
		return cur, nil // the deferred Rollback releases the lock; nothing was written
	}
	if !detach() {
		// ctx ended while fn ran, so database/sql has already rolled the transaction back.
		return Tokens{}, fmt.Errorf("store: update tokens of account %q: not saved: %w", accountID, context.Cause(ctx))
	}
	stop := time.AfterFunc(saveTimeout, cancel)
	defer stop.Stop()
	if err := s.writeTokens(txCtx, tx, "update tokens", accountID, next); err != nil {
		return Tokens{}, err
	}
	if err := tx.Commit(); err != nil {
		return Tokens{}, fmt.Errorf("store: update tokens of account %q: commit: %w", accountID, err)
	}
	return next, nil
}

// beginLocking starts the transaction. On SQLite it is BEGIN IMMEDIATE (the DSN's _txlock),
// which takes the database's write lock now; another process holding it past busy_timeout
// (a slow refresh) makes SQLite answer SQLITE_BUSY, so we keep trying until ctx ends.
func (s *Store) beginLocking(ctx context.Context) (*sql.Tx, error) {
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		tx, err := s.db.BeginTx(ctx, nil)
		if err == nil || s.dialect != DialectSQLite || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			return tx, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
	}
}

// lockTokens reads the account's tokens; on PostgreSQL it also takes the row lock, which
// other UpdateTokens calls wait for until this transaction ends.
func (s *Store) lockTokens(ctx context.Context, tx *sql.Tx, accountID string) (Tokens, error) {
	query := `SELECT access_token, refresh_token, token_expiry FROM accounts WHERE id = ?`
	if s.dialect == DialectPostgres {
		query += ` FOR UPDATE`
	}
	var (
		access, refresh string
		expiry          int64
	)
	err := tx.QueryRowContext(ctx, s.q(query), accountID).Scan(&access, &refresh, &expiry)
	if errors.Is(err, sql.ErrNoRows) {
		return Tokens{}, fmt.Errorf("store: update tokens: account %q: %w", accountID, ErrNotFound)
	}
	if err != nil {
		return Tokens{}, fmt.Errorf("store: update tokens of account %q: read: %w", accountID, err)
	}
	t := Tokens{Expiry: fromMillis(expiry)}
	if t.Access, err = s.open(accountID, colAccessToken, access); err != nil {
		return Tokens{}, fmt.Errorf("store: update tokens of account %q: %w", accountID, err)
	}
	if t.Refresh, err = s.open(accountID, colRefreshToken, refresh); err != nil {
		return Tokens{}, fmt.Errorf("store: update tokens of account %q: %w", accountID, err)
	}
	return t, nil
}

// execer is what writeTokens needs from a *sql.DB or a *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeTokens seals and writes the token triple in one UPDATE; op names the caller in errors.
// ErrNotFound for an unknown account.
func (s *Store) writeTokens(ctx context.Context, db execer, op, accountID string, t Tokens) error {
	sealedAccess, err := s.seal(accountID, colAccessToken, t.Access)
	if err != nil {
		return err
	}
	sealedRefresh, err := s.seal(accountID, colRefreshToken, t.Refresh)
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, s.q(`UPDATE accounts
		SET access_token = ?, refresh_token = ?, token_expiry = ?, updated_at = ? WHERE id = ?`),
		sealedAccess, sealedRefresh, toMillis(t.Expiry), toMillis(time.Now()), accountID)
	if err != nil {
		return fmt.Errorf("store: %s of account %q: %w", op, accountID, err)
	}
	return oneRow(res, op, accountID)
}
