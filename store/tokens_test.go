package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func tokensOf(a Account) Tokens {
	return Tokens{Access: a.AccessToken, Refresh: a.RefreshToken, Expiry: a.TokenExpiry}
}

func sameTokens(a, b Tokens) bool {
	return a.Access == b.Access && a.Refresh == b.Refresh && a.Expiry.Equal(b.Expiry)
}

// showTokens prints tokens in test failures; these are test values, not secrets.
func showTokens(t Tokens) string {
	return fmt.Sprintf("{%s %s %s}", t.Access, t.Refresh, t.Expiry.Format(time.RFC3339))
}

func TestUpdateTokens(t *testing.T) {
	initial := tokensOf(fullAccount("acme"))
	rotated := Tokens{Access: "access-2", Refresh: "refresh-2", Expiry: time.UnixMilli(2_000_000_000_000).UTC()}
	errFn := errors.New("refresh failed")

	tests := []struct {
		name       string
		account    string
		fn         func(cur Tokens) (Tokens, bool, error)
		wantCalled bool
		wantErr    error
		want       Tokens // returned
		wantStored Tokens
	}{
		{
			name:    "save writes next",
			account: "acme",
			fn:      func(Tokens) (Tokens, bool, error) { return rotated, true, nil },
			want:    rotated, wantStored: rotated, wantCalled: true,
		},
		{
			name:    "no save keeps cur",
			account: "acme",
			fn:      func(Tokens) (Tokens, bool, error) { return rotated, false, nil },
			want:    initial, wantStored: initial, wantCalled: true,
		},
		{
			name:    "fn error writes nothing",
			account: "acme",
			fn:      func(Tokens) (Tokens, bool, error) { return rotated, true, errFn },
			wantErr: errFn, wantStored: initial, wantCalled: true,
		},
		{
			name:    "clearing the tokens",
			account: "acme",
			fn:      func(Tokens) (Tokens, bool, error) { return Tokens{}, true, nil },
			want:    Tokens{}, wantStored: Tokens{}, wantCalled: true,
		},
		{
			name:    "unknown account",
			account: "nobody",
			fn:      func(Tokens) (Tokens, bool, error) { return rotated, true, nil },
			wantErr: ErrNotFound, wantStored: initial,
		},
	}
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				mustDo(t, "PutAccount", s.PutAccount(ctx, fullAccount("acme")))
				var called bool
				var gotCur Tokens
				got, err := s.UpdateTokens(ctx, tt.account, func(cur Tokens) (Tokens, bool, error) {
					called, gotCur = true, cur
					return tt.fn(cur)
				})
				checkErr(t, err, tt.wantErr)
				if called != tt.wantCalled {
					t.Errorf("fn called: got %t, want %t", called, tt.wantCalled)
				}
				if called && !sameTokens(gotCur, initial) {
					t.Errorf("fn's cur: got %s, want %s", showTokens(gotCur), showTokens(initial))
				}
				if err == nil && !sameTokens(got, tt.want) {
					t.Errorf("returned tokens: got %s, want %s", showTokens(got), showTokens(tt.want))
				}
				a, err := s.Account(ctx, "acme")
				mustDo(t, "Account", err)
				if stored := tokensOf(a); !sameTokens(stored, tt.wantStored) {
					t.Errorf("stored tokens: got %s, want %s", showTokens(stored), showTokens(tt.wantStored))
				}
				// The rest of the account is untouched.
				checkAccount(t, Account{ID: a.ID, Name: a.Name, APIKey: a.APIKey, TriggerStages: a.TriggerStages},
					Account{ID: "acme", Name: "Acme Corp", APIKey: "apikey-acme", TriggerStages: fullAccount("acme").TriggerStages})
			})
		}
	})
}

func TestUpdateTokensStoresCiphertext(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustDo(t, "PutAccount", s.PutAccount(ctx, secretAccount("acme")))
		next := Tokens{Access: "ROTATED-ACCESS-PLAINTEXT", Refresh: "ROTATED-REFRESH-PLAINTEXT", Expiry: time.Now()}
		_, err := s.UpdateTokens(ctx, "acme", func(Tokens) (Tokens, bool, error) { return next, true, nil })
		mustDo(t, "UpdateTokens", err)
		var access, refresh string
		err = s.db.QueryRowContext(ctx, s.q(`SELECT access_token, refresh_token FROM accounts WHERE id = ?`), "acme").
			Scan(&access, &refresh)
		mustDo(t, "raw select", err)
		for _, col := range []string{access, refresh} {
			if !strings.HasPrefix(col, "v1:") || strings.Contains(col, "PLAINTEXT") {
				t.Errorf("stored token column: got %q, want a v1: ciphertext without plaintext", col)
			}
		}
	})
}

func TestUpdateTokensContext(t *testing.T) {
	rotated := Tokens{Access: "access-2", Refresh: "refresh-2", Expiry: time.UnixMilli(2_000_000_000_000).UTC()}
	tests := []struct {
		name       string
		fn         func(cancel context.CancelFunc) func(Tokens) (Tokens, bool, error)
		precancel  bool
		wantCalled bool
	}{
		{
			name:      "ctx ended before the call",
			precancel: true,
			fn: func(context.CancelFunc) func(Tokens) (Tokens, bool, error) {
				return func(Tokens) (Tokens, bool, error) { return rotated, true, nil }
			},
		},
		{
			name:       "ctx ended while fn ran",
			wantCalled: true,
			fn: func(cancel context.CancelFunc) func(Tokens) (Tokens, bool, error) {
				return func(Tokens) (Tokens, bool, error) { cancel(); return rotated, true, nil }
			},
		},
	}
	eachStore(t, func(t *testing.T, s *Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				mustDo(t, "PutAccount", s.PutAccount(context.Background(), fullAccount("acme")))
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if tt.precancel {
					cancel()
				}
				called := false
				fn := tt.fn(cancel)
				_, err := s.UpdateTokens(ctx, "acme", func(cur Tokens) (Tokens, bool, error) { called = true; return fn(cur) })
				checkErr(t, err, context.Canceled)
				if called != tt.wantCalled {
					t.Errorf("fn called: got %t, want %t", called, tt.wantCalled)
				}
				a, err := s.Account(context.Background(), "acme")
				mustDo(t, "Account", err)
				if want := tokensOf(fullAccount("acme")); !sameTokens(tokensOf(a), want) {
					t.Errorf("stored tokens: got %s, want %s (unchanged)", showTokens(tokensOf(a)), showTokens(want))
				}
			})
		}
	})
}
