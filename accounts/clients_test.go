package accounts_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/assessbridge/assessbridge/accounts"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

func setup(t *testing.T) (*store.Store, *leversim.Server, string) {
	t.Helper()
	ls := leversim.New(leversim.Options{})
	srv := httptest.NewServer(ls)
	t.Cleanup(srv.Close)
	ls.AddAccount("acme", "tok-acme")
	ls.AddStage("acme", "s1", "Assessment")
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st, ls, srv.URL
}

func TestClients(t *testing.T) {
	st, _, url := setup(t)
	ctx := context.Background()
	put := func(a store.Account) {
		t.Helper()
		if err := st.PutAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	put(store.Account{ID: "bearer", Status: "connected", LeverBaseURL: url, AccessToken: "tok-acme"})
	put(store.Account{ID: "apikey", Status: "connected", LeverBaseURL: url, APIKey: "tok-acme"})
	put(store.Account{ID: "off", Status: "disconnected", LeverBaseURL: url, AccessToken: "tok-acme"})
	put(store.Account{ID: "nocreds", Status: "connected", LeverBaseURL: url})
	cs := accounts.New(st, accounts.Config{})

	for _, id := range []string{"bearer", "apikey"} {
		lc, err := cs.Client(ctx, id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		stages, err := lc.ListStages(ctx)
		if err != nil || len(stages) != 1 {
			t.Errorf("%s: ListStages got %v, %v; want the one stage", id, stages, err)
		}
		again, _ := cs.Client(ctx, id)
		if again != lc {
			t.Errorf("%s: a second Client call built a new client, want the cached one", id)
		}
	}
	for _, tt := range []struct {
		id   string
		want error
	}{{"off", accounts.ErrDisconnected}, {"nocreds", accounts.ErrDisconnected}, {"missing", store.ErrNotFound}} {
		if _, err := cs.Client(ctx, tt.id); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.id, err, tt.want)
		}
	}
	// New credentials (a reconnect) build a new client.
	before, _ := cs.Client(ctx, "bearer")
	put(store.Account{ID: "bearer", Status: "connected", LeverBaseURL: url, APIKey: "tok-acme"})
	after, err := cs.Client(ctx, "bearer")
	if err != nil || after == before {
		t.Errorf("after new credentials: got the same client (%v), want a new one", err)
	}
}
