package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestUpdateAccount(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if err := s.PutAccount(ctx, fullAccount("acme")); err != nil {
			t.Fatal(err)
		}
		before, _ := s.Account(ctx, "acme")

		err := s.UpdateAccount(ctx, "acme", func(a *Account) error {
			a.TriggerStages = []string{"stage-x"}
			a.PerformAs = "user-9"
			a.RemindAfter, a.ExpireAfter = 36*time.Hour, 5*24*time.Hour
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.Account(ctx, "acme")
		if !slices.Equal(got.TriggerStages, []string{"stage-x"}) || got.PerformAs != "user-9" {
			t.Errorf("changed fields: got %v %q, want [stage-x] user-9", got.TriggerStages, got.PerformAs)
		}
		if got.RemindAfter != 36*time.Hour || got.ExpireAfter != 5*24*time.Hour {
			t.Errorf("timings: got %s and %s, want 36h and 120h", got.RemindAfter, got.ExpireAfter)
		}
		if got.AccessToken != before.AccessToken || got.RefreshToken != before.RefreshToken || !slices.Equal(got.WebhookTokens, before.WebhookTokens) {
			t.Errorf("untouched secrets changed")
		}

		boom := errors.New("boom")
		if err := s.UpdateAccount(ctx, "acme", func(a *Account) error { a.PerformAs = "nobody"; return boom }); !errors.Is(err, boom) {
			t.Errorf("fn error: got %v, want boom", err)
		}
		if got, _ := s.Account(ctx, "acme"); got.PerformAs != "user-9" {
			t.Errorf("after fn error: PerformAs %q, want unchanged user-9", got.PerformAs)
		}
		if err := s.UpdateAccount(ctx, "nope", func(*Account) error { return nil }); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown account: got %v, want ErrNotFound", err)
		}
	})
}

// TestUpdateAccountKeepsConcurrentRefresh: a refresh that saves rotated tokens while an admin
// saves settings is not undone by the settings write.
func TestUpdateAccountKeepsConcurrentRefresh(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		admin, worker := openStore(t, dsn, testKey()), openStore(t, dsn, testKey())
		if err := admin.PutAccount(ctx, fullAccount("acme")); err != nil {
			t.Fatal(err)
		}
		inFn := make(chan struct{})
		release := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- admin.UpdateAccount(ctx, "acme", func(a *Account) error {
				close(inFn)
				<-release
				a.TriggerStages = []string{"stage-y"}
				return nil
			})
		}()
		<-inFn
		refreshed := make(chan error, 1)
		go func() {
			_, err := worker.UpdateTokens(ctx, "acme", func(Tokens) (Tokens, bool, error) {
				return Tokens{Access: "a-new", Refresh: "r-new", Expiry: time.Now().Add(time.Hour)}, true, nil
			})
			refreshed <- err
		}()
		select {
		case err := <-refreshed:
			t.Fatalf("refresh finished while the settings write held the lock: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if err := <-refreshed; err != nil {
			t.Fatal(err)
		}
		got, err := admin.Account(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if got.RefreshToken != "r-new" || !slices.Equal(got.TriggerStages, []string{"stage-y"}) {
			t.Errorf("got refresh %q and stages %v, want r-new and [stage-y]", got.RefreshToken, got.TriggerStages)
		}
	})
}
