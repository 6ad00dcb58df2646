package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// PostingMapping sends candidates of a Lever posting to an assessment.
type PostingMapping struct {
	PostingID    string
	AssessmentID string
}

// MapPosting sets (or replaces) the posting's assessment. The assessment need not be in the
// catalogue yet. ErrNotFound for an unknown account.
func (s *Store) MapPosting(ctx context.Context, accountID, postingID, assessmentID string) error {
	if postingID == "" || assessmentID == "" {
		return fmt.Errorf("store: map posting for account %q: posting and assessment ids are required", accountID)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.requireAccount(ctx, tx, accountID); err != nil {
			return fmt.Errorf("store: map posting: %w", err)
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO posting_mappings (account_id, posting_id, assessment_id)
			VALUES (?, ?, ?)
			ON CONFLICT (account_id, posting_id) DO UPDATE SET assessment_id = excluded.assessment_id`),
			accountID, postingID, assessmentID)
		if err != nil {
			return fmt.Errorf("store: map posting %q for account %q: %w", postingID, accountID, err)
		}
		return nil
	})
}

// UnmapPosting removes the posting's mapping; removing an absent mapping is not an error.
func (s *Store) UnmapPosting(ctx context.Context, accountID, postingID string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM posting_mappings WHERE account_id = ? AND posting_id = ?`),
		accountID, postingID)
	if err != nil {
		return fmt.Errorf("store: unmap posting %q for account %q: %w", postingID, accountID, err)
	}
	return nil
}

// AssessmentForPosting returns the assessment id mapped to the posting, or ErrNotFound.
func (s *Store) AssessmentForPosting(ctx context.Context, accountID, postingID string) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT assessment_id FROM posting_mappings
		WHERE account_id = ? AND posting_id = ?`), accountID, postingID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("mapping of posting %q for account %q: %w", postingID, accountID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: mapping of posting %q for account %q: %w", postingID, accountID, err)
	}
	return id, nil
}

// PostingMappings returns the account's mappings ordered by posting id.
func (s *Store) PostingMappings(ctx context.Context, accountID string) ([]PostingMapping, error) {
	list, err := queryAll(ctx, s.db, s.q(`SELECT posting_id, assessment_id FROM posting_mappings
		WHERE account_id = ?`), func(rows *sql.Rows) (PostingMapping, error) {
		var m PostingMapping
		err := rows.Scan(&m.PostingID, &m.AssessmentID)
		return m, err
	}, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: posting mappings of account %q: %w", accountID, err)
	}
	// Sorted here, byte-wise, because ORDER BY follows the database's collation.
	slices.SortFunc(list, func(x, y PostingMapping) int { return strings.Compare(x.PostingID, y.PostingID) })
	return list, nil
}
