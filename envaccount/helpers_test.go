package envaccount_test

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

const (
	apiKey      = "lever-api-key-of-acme"
	stageScreen = "stage-phone"
	stageAssess = "0b3f-assessment"
	stageOnsite = "stage-onsite"
	userID      = "user-rita"
	userEmail   = "rita@acme.example"
)

// leverWithKey is the account of a company running assessbridge for itself, in simulated Lever,
// reachable with its API key (HTTP Basic).
func leverWithKey(t *testing.T) (*leversim.Server, string) {
	t.Helper()
	ls := leversim.New(leversim.Options{})
	srv := httptest.NewServer(ls)
	t.Cleanup(srv.Close)
	ls.AddAccount(config.EnvAccountID, apiKey)
	ls.AddUser(config.EnvAccountID, leversim.User{ID: userID, Name: "Rita Recruiter", Email: userEmail})
	ls.AddUser(config.EnvAccountID, leversim.User{ID: "user-sam", Name: "Sam", Email: "sam@acme.example"})
	ls.AddStage(config.EnvAccountID, stageScreen, "Phone screen")
	ls.AddStage(config.EnvAccountID, stageAssess, "Assessment")
	ls.AddStage(config.EnvAccountID, stageOnsite, "On-site")
	return ls, srv.URL
}

func newStore(t *testing.T) *store.Store {
	t.Helper()
	key := make([]byte, store.KeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "assessbridge.db"), key)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// loadConfig reads the configuration from env as the mains do.
func loadConfig(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	return cfg
}

// newLever is what the mains pass, with a single attempt so failures come at once.
func newLever(baseURL, key string) (*lever.Client, error) {
	return lever.New(baseURL, lever.WithAPIKey(key), lever.WithRetry(1, 0, 0))
}
