package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
)

// Band is a rating band: a percentage p falls in the band with the largest MinPercent <= p.
type Band struct {
	MinPercent float64
	Rating     int
	Label      string
}

// RatingBands returns the account's bands ordered by MinPercent; an empty slice when none
// are set (callers then use their defaults).
func (s *Store) RatingBands(ctx context.Context, accountID string) ([]Band, error) {
	bands, err := queryAll(ctx, s.db, s.q(`SELECT min_percent, rating, label FROM rating_bands
		WHERE account_id = ? ORDER BY min_percent`), func(rows *sql.Rows) (Band, error) {
		var b Band
		err := rows.Scan(&b.MinPercent, &b.Rating, &b.Label)
		return b, err
	}, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: rating bands of account %q: %w", accountID, err)
	}
	return bands, nil
}

// SetRatingBands replaces all of the account's bands in one transaction; an empty list
// clears them. Each MinPercent must be within 0–100 and unique. ErrNotFound for an unknown
// account.
func (s *Store) SetRatingBands(ctx context.Context, accountID string, bands []Band) error {
	if err := validBands(bands); err != nil {
		return fmt.Errorf("store: set rating bands of account %q: %w", accountID, err)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.requireAccount(ctx, tx, accountID); err != nil {
			return fmt.Errorf("store: set rating bands: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM rating_bands WHERE account_id = ?`), accountID); err != nil {
			return fmt.Errorf("store: set rating bands of account %q: %w", accountID, err)
		}
		for _, b := range bands {
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO rating_bands (account_id, min_percent, rating, label)
				VALUES (?, ?, ?, ?)`), accountID, b.MinPercent, b.Rating, b.Label)
			if err != nil {
				return fmt.Errorf("store: set rating bands of account %q: %w", accountID, err)
			}
		}
		return nil
	})
}

func validBands(bands []Band) error {
	seen := map[float64]bool{}
	for _, b := range bands {
		if math.IsNaN(b.MinPercent) || b.MinPercent < 0 || b.MinPercent > 100 {
			return fmt.Errorf("band min percent %v is outside 0–100", b.MinPercent)
		}
		if seen[b.MinPercent] {
			return fmt.Errorf("two bands start at %v%%", b.MinPercent)
		}
		seen[b.MinPercent] = true
	}
	return nil
}
