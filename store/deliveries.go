package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Delivery is one Lever webhook delivery, as far as telling it apart from a replay needs.
type Delivery struct {
	AccountID string
	// Token is the delivery's token, which Lever signs with triggeredAt. It is stored as its
	// SHA-256: a fixed-size key whatever arrived, and the table keeps nothing from the request.
	Token string
	// ContentHash is what Lever's own retries of the delivery repeat (lever.Webhook.ContentHash).
	ContentHash string
	// Expires is when the delivery falls out of the acceptance window: after it the delivery
	// is refused as stale anyway, so it need not be remembered.
	Expires time.Time
}

// DeliveryState is what ClaimDelivery found.
type DeliveryState int

const (
	// DeliveryNew: the token was not seen before; act on the delivery.
	DeliveryNew DeliveryState = iota + 1
	// DeliveryRetry: seen with the same content but never completed (its answer was not 2xx,
	// or another request is still on it); act on it again, so nothing accepted is lost.
	DeliveryRetry
	// DeliveryRepeat: seen with the same content and completed; answer 2xx, do nothing.
	DeliveryRepeat
	// DeliveryForged: the token was used with other content; refuse it.
	DeliveryForged
)

func (d DeliveryState) String() string {
	switch d {
	case DeliveryNew:
		return "new"
	case DeliveryRetry:
		return "retry"
	case DeliveryRepeat:
		return "repeat"
	case DeliveryForged:
		return "forged"
	}
	return fmt.Sprintf("DeliveryState(%d)", int(d))
}

// deliverySweepEvery is how often, at most, a Store forgets expired deliveries.
const deliverySweepEvery = time.Minute

// ClaimDelivery records d, unless its token was seen before, and tells what it found. Two
// callers claiming the same new delivery at once (two processes too) get New and Retry.
// Expired deliveries are forgotten here, at most once a minute per Store. An unknown account
// is an error.
func (s *Store) ClaimDelivery(ctx context.Context, d Delivery) (DeliveryState, error) {
	if d.AccountID == "" || d.Token == "" || d.ContentHash == "" || d.Expires.IsZero() {
		return 0, errors.New("store: claim delivery: account, token, content hash and expiry are required")
	}
	if err := s.sweepDeliveries(ctx, time.Now()); err != nil {
		return 0, err
	}
	key := tokenKey(d.Token)
	// The row can vanish between INSERT and SELECT only when it had expired and a sweep
	// removed it; the next INSERT then claims the token anew.
	for range 3 {
		res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO webhook_deliveries (account_id, token_hash, content_hash, expires_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (account_id, token_hash) DO NOTHING`),
			d.AccountID, key, d.ContentHash, toMillis(d.Expires))
		if err != nil {
			return 0, fmt.Errorf("store: claim delivery for account %q: %w", d.AccountID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("store: claim delivery for account %q: %w", d.AccountID, err)
		}
		if n == 1 {
			return DeliveryNew, nil
		}
		var content string
		var completed int64
		err = s.db.QueryRowContext(ctx, s.q(`SELECT content_hash, completed_at FROM webhook_deliveries
			WHERE account_id = ? AND token_hash = ?`), d.AccountID, key).Scan(&content, &completed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return 0, fmt.Errorf("store: claim delivery for account %q: read: %w", d.AccountID, err)
		case content != d.ContentHash:
			return DeliveryForged, nil
		case completed == 0:
			return DeliveryRetry, nil
		default:
			return DeliveryRepeat, nil
		}
	}
	return 0, fmt.Errorf("store: claim delivery for account %q: the claim keeps vanishing", d.AccountID)
}

// CompleteDelivery marks a claimed delivery as answered 2xx, so repeats of it do nothing.
// ErrNotFound when no claim with d's token and content exists.
func (s *Store) CompleteDelivery(ctx context.Context, d Delivery) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE webhook_deliveries SET completed_at = ?
		WHERE account_id = ? AND token_hash = ? AND content_hash = ?`),
		time.Now().UnixMilli(), d.AccountID, tokenKey(d.Token), d.ContentHash)
	if err != nil {
		return fmt.Errorf("store: complete delivery for account %q: %w", d.AccountID, err)
	}
	return oneRow(res, "complete delivery", d.AccountID)
}

// sweepDeliveries forgets expired deliveries when this Store last did so a minute or more
// ago; one caller at a time does it, the others go on at once.
func (s *Store) sweepDeliveries(ctx context.Context, now time.Time) error {
	last, at := s.deliveriesSwept.Load(), now.UnixMilli()
	if at-last < deliverySweepEvery.Milliseconds() || !s.deliveriesSwept.CompareAndSwap(last, at) {
		return nil
	}
	if err := s.forgetExpiredDeliveries(ctx, now); err != nil {
		s.deliveriesSwept.CompareAndSwap(at, last) // the next claim tries again
		return err
	}
	return nil
}

// forgetExpiredDeliveries deletes the deliveries that expired before now.
func (s *Store) forgetExpiredDeliveries(ctx context.Context, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM webhook_deliveries WHERE expires_at < ?`), now.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: forget expired deliveries: %w", err)
	}
	return nil
}

func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
