package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// deliveryStep is one call in a delivery's life: a claim (want its state) or a completion.
type deliveryStep struct {
	complete bool
	d        Delivery
	want     DeliveryState
	wantErr  error
}

func claimStep(d Delivery, want DeliveryState) deliveryStep { return deliveryStep{d: d, want: want} }

func completeStep(d Delivery, wantErr error) deliveryStep {
	return deliveryStep{complete: true, d: d, wantErr: wantErr}
}

func TestClaimDelivery(t *testing.T) {
	later := time.Now().Add(time.Hour)
	a := Delivery{AccountID: "acme", Token: "token-1", ContentHash: "content-a", Expires: later}
	edited := a
	edited.ContentHash = "content-b"
	otherAccount := a
	otherAccount.AccountID = "initech"
	otherToken := a
	otherToken.Token = "token-2"
	unknownAccount := a
	unknownAccount.AccountID = "nobody"

	tests := []struct {
		name  string
		steps []deliveryStep
	}{
		{"first sight is new", []deliveryStep{claimStep(a, DeliveryNew)}},
		{"Lever retries an unanswered delivery", []deliveryStep{
			claimStep(a, DeliveryNew), claimStep(a, DeliveryRetry), claimStep(a, DeliveryRetry)}},
		{"repeat of an answered delivery", []deliveryStep{
			claimStep(a, DeliveryNew), completeStep(a, nil), claimStep(a, DeliveryRepeat)}},
		{"answered on Lever's retry", []deliveryStep{
			claimStep(a, DeliveryNew), claimStep(a, DeliveryRetry), completeStep(a, nil), claimStep(a, DeliveryRepeat)}},
		{"completed twice", []deliveryStep{
			claimStep(a, DeliveryNew), completeStep(a, nil), completeStep(a, nil), claimStep(a, DeliveryRepeat)}},
		{"edited content is forged", []deliveryStep{
			claimStep(a, DeliveryNew), claimStep(edited, DeliveryForged)}},
		{"edited content after completion is forged and changes nothing", []deliveryStep{
			claimStep(a, DeliveryNew), completeStep(a, nil), claimStep(edited, DeliveryForged), claimStep(a, DeliveryRepeat)}},
		{"a forgery cannot complete", []deliveryStep{
			claimStep(a, DeliveryNew), claimStep(edited, DeliveryForged), completeStep(edited, ErrNotFound), claimStep(a, DeliveryRetry)}},
		{"same token at another account", []deliveryStep{
			claimStep(a, DeliveryNew), completeStep(a, nil), claimStep(otherAccount, DeliveryNew)}},
		{"another token", []deliveryStep{
			claimStep(a, DeliveryNew), completeStep(a, nil), claimStep(otherToken, DeliveryNew)}},
		{"completing an unclaimed delivery", []deliveryStep{completeStep(a, ErrNotFound)}},
		{"unknown account", []deliveryStep{{d: unknownAccount, wantErr: errAny}}},
		{"no token", []deliveryStep{{d: Delivery{AccountID: "acme", ContentHash: "c", Expires: later}, wantErr: errAny}}},
		{"no content hash", []deliveryStep{{d: Delivery{AccountID: "acme", Token: "t", Expires: later}, wantErr: errAny}}},
		{"no expiry", []deliveryStep{{d: Delivery{AccountID: "acme", Token: "t", ContentHash: "c"}, wantErr: errAny}}},
	}
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		putAccount(t, s, "acme")
		putAccount(t, s, "initech")
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for j, step := range tt.steps {
					d := step.d
					if d.Token != "" {
						d.Token = fmt.Sprintf("case-%d/%s", i, d.Token) // each case has its own tokens
					}
					if step.complete {
						err := s.CompleteDelivery(ctx, d)
						checkErr(t, err, step.wantErr)
						continue
					}
					got, err := s.ClaimDelivery(ctx, d)
					checkErr(t, err, step.wantErr)
					if err == nil && got != step.want {
						t.Errorf("step %d, claim %s/%s: got %v, want %v", j, d.AccountID, d.ContentHash, got, step.want)
					}
				}
			})
		}
	})
}

// TestClaimDeliveryStoresTokenHash: the table holds the token's SHA-256, not the token.
func TestClaimDeliveryStoresTokenHash(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		putAccount(t, s, "acme")
		d := Delivery{AccountID: "acme", Token: "PLAINTEXT-TOKEN", ContentHash: "c", Expires: time.Now().Add(time.Hour)}
		_, err := s.ClaimDelivery(ctx, d)
		mustDo(t, "ClaimDelivery", err)
		var key string
		mustDo(t, "raw select", s.db.QueryRowContext(ctx, `SELECT token_hash FROM webhook_deliveries`).Scan(&key))
		if key != tokenKey("PLAINTEXT-TOKEN") || len(key) != 64 {
			t.Errorf("stored token: got %q, want the token's hex SHA-256", key)
		}
	})
}

// deliveryCount is how many deliveries the store remembers.
func deliveryCount(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	mustDo(t, "count deliveries", s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM webhook_deliveries`).Scan(&n))
	return n
}

// TestExpiredDeliveriesForgotten: claims forget expired deliveries, and only those, at most
// once a minute per Store.
func TestExpiredDeliveriesForgotten(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		putAccount(t, s, "acme")
		now := time.Now()
		delivery := func(token string, expires time.Time) Delivery {
			return Delivery{AccountID: "acme", Token: token, ContentHash: "c", Expires: expires}
		}
		expired := []Delivery{delivery("expired-answered", now.Add(-time.Hour)), delivery("expired-unanswered", now.Add(-time.Millisecond))}
		live := []Delivery{delivery("live-answered", now.Add(time.Hour)), delivery("live-unanswered", now.Add(24*time.Hour))}
		for _, d := range append(append([]Delivery(nil), expired...), live...) {
			got, err := s.ClaimDelivery(ctx, d)
			mustDo(t, "ClaimDelivery "+d.Token, err)
			if got != DeliveryNew {
				t.Fatalf("claim %s: got %v, want new", d.Token, got)
			}
		}
		mustDo(t, "CompleteDelivery", s.CompleteDelivery(ctx, expired[0]))
		mustDo(t, "CompleteDelivery", s.CompleteDelivery(ctx, live[0]))

		// The first claim swept before inserting; within the minute, claims do not sweep again.
		if n := deliveryCount(t, s); n != 4 {
			t.Fatalf("deliveries within the minute: got %d, want all 4", n)
		}
		// A minute later the next claim forgets the expired ones.
		s.deliveriesSwept.Store(time.Now().Add(-deliverySweepEvery).UnixMilli())
		_, err := s.ClaimDelivery(ctx, delivery("trigger", now.Add(time.Hour)))
		mustDo(t, "ClaimDelivery", err)
		if n := deliveryCount(t, s); n != 3 {
			t.Errorf("deliveries after the sweep: got %d, want 3 (2 live, 1 new)", n)
		}
		for _, c := range []struct {
			d    Delivery
			want DeliveryState
		}{{expired[0], DeliveryNew}, {expired[1], DeliveryNew}, {live[0], DeliveryRepeat}, {live[1], DeliveryRetry}} {
			if got, err := s.ClaimDelivery(ctx, c.d); err != nil || got != c.want {
				t.Errorf("claim %s after the sweep: got %v, %v, want %v", c.d.Token, got, err, c.want)
			}
		}
	})
}

// TestConcurrentClaims: many requests in two processes (two Stores on one database) claim the
// same token at once. Exactly one sees it new; the others see a retry of the same content or a
// forgery of other content, and none fails.
func TestConcurrentClaims(t *testing.T) {
	tests := []struct {
		name     string
		contents []string // per claimer, cycled
	}{
		{"identical deliveries", []string{"content-a"}},
		{"one delivery and its forgeries", []string{"content-a", "content-b"}},
	}
	eachDialect(t, func(t *testing.T, dsn string) {
		stores := []*Store{openStore(t, dsn, testKey()), openStore(t, dsn, testKey())}
		putAccount(t, stores[0], "acme")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				const claimers = 16
				states := make([]DeliveryState, claimers)
				errs := make([]error, claimers)
				start := make(chan struct{})
				var wg sync.WaitGroup
				for i := range claimers {
					d := Delivery{AccountID: "acme", Token: tt.name, ContentHash: tt.contents[i%len(tt.contents)], Expires: time.Now().Add(time.Hour)}
					wg.Go(func() {
						<-start
						states[i], errs[i] = stores[i%2].ClaimDelivery(context.Background(), d)
					})
				}
				close(start)
				wg.Wait()
				var winner string
				for i, st := range states {
					mustDo(t, fmt.Sprintf("claimer %d", i), errs[i])
					if st == DeliveryNew {
						if winner != "" {
							t.Errorf("claimer %d: got new too, want one new claim in all", i)
						}
						winner = tt.contents[i%len(tt.contents)]
					}
				}
				if winner == "" {
					t.Fatalf("states: got %v, want one new", states)
				}
				for i, st := range states {
					content := tt.contents[i%len(tt.contents)]
					want := DeliveryForged
					if content == winner {
						want = DeliveryRetry
					}
					if st != DeliveryNew && st != want {
						t.Errorf("claimer %d (%s, winner %s): got %v, want %v", i, content, winner, st, want)
					}
				}
			})
		}
	})
}

func TestDeliveryStateString(t *testing.T) {
	for st, want := range map[DeliveryState]string{
		DeliveryNew: "new", DeliveryRetry: "retry", DeliveryRepeat: "repeat", DeliveryForged: "forged", 0: "DeliveryState(0)",
	} {
		if got := st.String(); got != want {
			t.Errorf("%d: got %q, want %q", int(st), got, want)
		}
	}
}
