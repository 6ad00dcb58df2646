package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AddMissingScope records that Lever refused one of the account's calls (403) for want of
// scope; recording it again changes nothing. ErrNotFound for an unknown account.
func (s *Store) AddMissingScope(ctx context.Context, accountID, scope string) error {
	if scope == "" {
		return errors.New("store: add missing scope: empty scope")
	}
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO missing_scopes (account_id, scope, seen_at)
		SELECT id, ?, ? FROM accounts WHERE id = ?
		ON CONFLICT (account_id, scope) DO NOTHING`), scope, toMillis(time.Now()), accountID)
	if err != nil {
		return fmt.Errorf("store: add missing scope of account %q: %w", accountID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		if _, err := s.Account(ctx, accountID); err != nil {
			return err // ErrNotFound, wrapped
		}
	}
	return nil
}

// MissingScopes returns the scopes recorded for the account, sorted.
func (s *Store) MissingScopes(ctx context.Context, accountID string) ([]string, error) {
	list, err := queryAll(ctx, s.db, s.q(`SELECT scope FROM missing_scopes WHERE account_id = ? ORDER BY scope`),
		func(rows *sql.Rows) (string, error) {
			var scope string
			err := rows.Scan(&scope)
			return scope, err
		}, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: missing scopes of account %q: %w", accountID, err)
	}
	return list, nil
}

// ClearMissingScopes forgets the account's missing scopes, as when it is connected again with
// a new grant.
func (s *Store) ClearMissingScopes(ctx context.Context, accountID string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM missing_scopes WHERE account_id = ?`), accountID); err != nil {
		return fmt.Errorf("store: clear missing scopes of account %q: %w", accountID, err)
	}
	return nil
}
