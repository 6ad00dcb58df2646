package leverauth_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/leverauth"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

const (
	postgresEnv  = "ASSESSBRIDGE_TEST_POSTGRES_DSN"
	clientID     = "assessbridge-test"
	clientSecret = "client-secret/1+x"
	redirectURL  = "https://bridge.example/admin/oauth/callback"
	accountID    = "acme"
	staticToken  = "static-api-token" // the sim's non-OAuth token for the account
)

// simEnv is the Lever simulator with its auth server on, and a Config pointing at it.
type simEnv struct {
	sim *leversim.Server
	url string
	cfg leverauth.Config
}

func newSimEnv(t *testing.T) *simEnv {
	t.Helper()
	sim := leversim.New(leversim.Options{OAuthClientID: clientID, OAuthClientSecret: clientSecret})
	sim.AddAccount(accountID, staticToken)
	sim.AddStage(accountID, "stage-1", "Assessment")
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &simEnv{sim: sim, url: srv.URL, cfg: simConfig(srv.URL)}
}

func simConfig(base string) leverauth.Config {
	return leverauth.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		AuthURL:      base + "/authorize",
		TokenURL:     base + "/oauth/token",
		RedirectURL:  redirectURL,
		HTTPClient:   &http.Client{Timeout: 10 * time.Second},
	}
}

// connect runs the authorization as the admin page does, with sim.Authorize standing in
// for the consent page's Allow.
func (e *simEnv) connect(t *testing.T) *oauth2.Token {
	t.Helper()
	authURL, state, verifier := e.cfg.Begin()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatalf("parse Begin's URL: %v", err)
	}
	q := u.Query()
	code, err := e.sim.Authorize(accountID, q.Get("client_id"), q.Get("redirect_uri"), q.Get("scope"), state, q.Get("code_challenge"))
	if err != nil {
		t.Fatalf("sim Authorize: got error %v, want nil", err)
	}
	tok, err := e.cfg.Finish(context.Background(), code, verifier)
	if err != nil {
		t.Fatalf("Finish: got error %v, want nil", err)
	}
	return tok
}

func (e *simEnv) refreshes() int {
	_, n := e.sim.OAuthStats(accountID)
	return n
}

func testKey() []byte { return bytes.Repeat([]byte{0x42}, store.KeySize) }

// eachDialect runs body on a fresh SQLite file and, when postgresEnv is set, on a fresh
// PostgreSQL schema; body gets a DSN so it can open several handles ("processes").
func eachDialect(t *testing.T, body func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { body(t, "sqlite:"+filepath.Join(t.TempDir(), "store.db")) })
	t.Run("postgres", func(t *testing.T) { body(t, postgresSchemaDSN(t)) })
}

func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, testKey())
	if err != nil {
		t.Fatalf("store.Open: got error %v, want nil", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sqliteStore is a store on a fresh SQLite file, for tests that are not about the dialect.
func sqliteStore(t *testing.T) *store.Store {
	t.Helper()
	return openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "store.db"))
}

// putTokens stores the account with tok's tokens and the given expiry.
func putTokens(t *testing.T, s *store.Store, access, refresh string, expiry time.Time) {
	t.Helper()
	err := s.PutAccount(context.Background(), store.Account{ID: accountID, Name: "Acme",
		AccessToken: access, RefreshToken: refresh, TokenExpiry: expiry})
	if err != nil {
		t.Fatalf("PutAccount: got error %v, want nil", err)
	}
}

func storedTokens(t *testing.T, s *store.Store) store.Account {
	t.Helper()
	a, err := s.Account(context.Background(), accountID)
	if err != nil {
		t.Fatalf("Account: got error %v, want nil", err)
	}
	return a
}

// postgresSchemaDSN creates schema t_<random>, dropped at cleanup, and returns a DSN whose
// search_path points at it; it skips the test when no PostgreSQL is configured.
func postgresSchemaDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skipf("%s not set", postgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "t_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
