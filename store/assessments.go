package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Assessment is one entry of the platform's catalogue as seen by an account.
type Assessment struct {
	ID    string
	Title string
}

// PutAssessment adds the assessment to the account's catalogue or renames it.
// ErrNotFound for an unknown account.
func (s *Store) PutAssessment(ctx context.Context, accountID string, a Assessment) error {
	if a.ID == "" || a.Title == "" {
		return fmt.Errorf("store: put assessment for account %q: id and title are required", accountID)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.requireAccount(ctx, tx, accountID); err != nil {
			return fmt.Errorf("store: put assessment: %w", err)
		}
		return s.upsertAssessment(ctx, tx, accountID, a)
	})
}

// ReplaceAssessments makes the account's catalogue exactly list, in one transaction, so a
// catalogue refresh also drops assessments the platform no longer offers.
func (s *Store) ReplaceAssessments(ctx context.Context, accountID string, list []Assessment) error {
	for _, a := range list {
		if a.ID == "" || a.Title == "" {
			return fmt.Errorf("store: replace assessments for account %q: id and title are required", accountID)
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.requireAccount(ctx, tx, accountID); err != nil {
			return fmt.Errorf("store: replace assessments: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM assessments WHERE account_id = ?`), accountID); err != nil {
			return fmt.Errorf("store: replace assessments for account %q: %w", accountID, err)
		}
		for _, a := range list {
			if err := s.upsertAssessment(ctx, tx, accountID, a); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) upsertAssessment(ctx context.Context, tx *sql.Tx, accountID string, a Assessment) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO assessments (account_id, id, title) VALUES (?, ?, ?)
		ON CONFLICT (account_id, id) DO UPDATE SET title = excluded.title`), accountID, a.ID, a.Title)
	if err != nil {
		return fmt.Errorf("store: put assessment %q for account %q: %w", a.ID, accountID, err)
	}
	return nil
}

// Assessments returns the account's catalogue ordered by title (then id).
func (s *Store) Assessments(ctx context.Context, accountID string) ([]Assessment, error) {
	list, err := queryAll(ctx, s.db, s.q(`SELECT id, title FROM assessments WHERE account_id = ?`), func(rows *sql.Rows) (Assessment, error) {
		var a Assessment
		err := rows.Scan(&a.ID, &a.Title)
		return a, err
	}, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: assessments of account %q: %w", accountID, err)
	}
	// Sorted here, byte-wise, because ORDER BY follows the database's collation.
	slices.SortFunc(list, func(x, y Assessment) int {
		if c := strings.Compare(x.Title, y.Title); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return list, nil
}

// AssessmentByID returns the account's assessment with id, or ErrNotFound.
func (s *Store) AssessmentByID(ctx context.Context, accountID, id string) (Assessment, error) {
	a := Assessment{ID: id}
	err := s.db.QueryRowContext(ctx, s.q(`SELECT title FROM assessments WHERE account_id = ? AND id = ?`),
		accountID, id).Scan(&a.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return Assessment{}, fmt.Errorf("assessment %q for account %q: %w", id, accountID, ErrNotFound)
	}
	if err != nil {
		return Assessment{}, fmt.Errorf("store: assessment %q for account %q: %w", id, accountID, err)
	}
	return a, nil
}
