package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// PostingSettings override an account's thresholds for one Lever posting (issue 11).
// Account.WithPosting applies them.
type PostingSettings struct {
	AccountID, PostingID string
	PassThreshold        *float64 // nil = use the account's
	ArchiveBelow         *float64 // nil = use the account's
}

// Validate checks that set thresholds are percentages. Whether they make sense with the
// account's settings is Account.WithPosting(p).ValidateCompletion().
func (p PostingSettings) Validate() error {
	var errs []error
	if !validPercent(p.PassThreshold) {
		errs = append(errs, completionErr("PassThreshold", "the pass threshold must be a percentage from 0 to 100"))
	}
	if !validPercent(p.ArchiveBelow) {
		errs = append(errs, completionErr("ArchiveBelow", "the auto-archive threshold must be a percentage from 0 to 100"))
	}
	return errors.Join(errs...)
}

// PostingSettings returns the posting's overrides, or ErrNotFound when it has none.
func (s *Store) PostingSettings(ctx context.Context, accountID, postingID string) (PostingSettings, error) {
	var pass, archive sql.NullFloat64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT pass_threshold, archive_below FROM posting_settings
		WHERE account_id = ? AND posting_id = ?`), accountID, postingID).Scan(&pass, &archive)
	if errors.Is(err, sql.ErrNoRows) {
		return PostingSettings{}, fmt.Errorf("settings of posting %q for account %q: %w", postingID, accountID, ErrNotFound)
	}
	if err != nil {
		return PostingSettings{}, fmt.Errorf("store: settings of posting %q for account %q: %w", postingID, accountID, err)
	}
	return PostingSettings{AccountID: accountID, PostingID: postingID, PassThreshold: floatPtr(pass), ArchiveBelow: floatPtr(archive)}, nil
}

// PutPostingSettings sets (or replaces) the posting's overrides; with both thresholds nil it
// removes them. ErrNotFound for an unknown account.
func (s *Store) PutPostingSettings(ctx context.Context, p PostingSettings) error {
	if p.AccountID == "" || p.PostingID == "" {
		return errors.New("store: put posting settings: account and posting ids are required")
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("store: put settings of posting %q for account %q: %w", p.PostingID, p.AccountID, err)
	}
	if p.PassThreshold == nil && p.ArchiveBelow == nil {
		_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM posting_settings WHERE account_id = ? AND posting_id = ?`),
			p.AccountID, p.PostingID)
		if err != nil {
			return fmt.Errorf("store: clear settings of posting %q for account %q: %w", p.PostingID, p.AccountID, err)
		}
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.requireAccount(ctx, tx, p.AccountID); err != nil {
			return fmt.Errorf("store: put posting settings: %w", err)
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO posting_settings (account_id, posting_id, pass_threshold, archive_below)
			VALUES (?, ?, ?, ?)
			ON CONFLICT (account_id, posting_id) DO UPDATE SET
				pass_threshold = excluded.pass_threshold,
				archive_below = excluded.archive_below`),
			p.AccountID, p.PostingID, nullFloat(p.PassThreshold), nullFloat(p.ArchiveBelow))
		if err != nil {
			return fmt.Errorf("store: put settings of posting %q for account %q: %w", p.PostingID, p.AccountID, err)
		}
		return nil
	})
}

// ListPostingSettings returns the account's posting overrides ordered by posting id.
func (s *Store) ListPostingSettings(ctx context.Context, accountID string) ([]PostingSettings, error) {
	list, err := queryAll(ctx, s.db, s.q(`SELECT posting_id, pass_threshold, archive_below FROM posting_settings
		WHERE account_id = ?`), func(rows *sql.Rows) (PostingSettings, error) {
		var (
			p             = PostingSettings{AccountID: accountID}
			pass, archive sql.NullFloat64
		)
		err := rows.Scan(&p.PostingID, &pass, &archive)
		p.PassThreshold, p.ArchiveBelow = floatPtr(pass), floatPtr(archive)
		return p, err
	}, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: posting settings of account %q: %w", accountID, err)
	}
	// Sorted here, byte-wise, because ORDER BY follows the database's collation.
	slices.SortFunc(list, func(x, y PostingSettings) int { return strings.Compare(x.PostingID, y.PostingID) })
	return list, nil
}
