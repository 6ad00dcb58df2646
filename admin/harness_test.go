package admin

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"go.temporal.io/server/temporaltest"
	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/accounts"
	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
	"github.com/assessbridge/assessbridge/namespace"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
)

const (
	password     = "correct horse battery staple"
	acct         = "acme"
	leverToken   = "lever-token-acme"
	clientID     = "assessbridge-test-client"
	clientSecret = "assessbridge-test-secret"
	platformKey  = "platform-key"
	stageA       = "stage-phone"
	stageB       = "stage-assessment"
	postingID    = "post-backend"
	assessmentID = "go-basics"
)

// tsrv is the package's Temporal server: starting one costs a second or two.
var tsrv *temporaltest.TestServer

func TestMain(m *testing.M) {
	tsrv = temporaltest.NewServer()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := namespace.RegisterSearchAttributes(ctx, tsrv.GetDefaultClient(), tsrv.GetDefaultNamespace())
	cancel()
	code := 1
	if err != nil {
		fmt.Fprintln(os.Stderr, "register search attributes:", err)
	} else {
		code = m.Run()
	}
	tsrv.Stop()
	os.Exit(code)
}

// env is one admin page with its store, Lever simulator (OAuth on) and platform simulator.
type env struct {
	t        *testing.T
	store    *store.Store
	lever    *leversim.Server
	leverURL string
	platform *platformsim.Server
	url      string // the server's base URL; the admin page is at url + Prefix
	handler  *handler

	mu                      sync.Mutex
	connected, disconnected []string
}

type envOption func(*Config)

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	ctx := context.Background()
	key := make([]byte, store.KeySize)
	rand.Read(key)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "admin.db"), key)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })

	ls := leversim.New(leversim.Options{Rate: -1, OAuthClientID: clientID, OAuthClientSecret: clientSecret})
	leverSrv := httptest.NewServer(ls)
	t.Cleanup(leverSrv.Close)
	ls.AddAccount(acct, leverToken)
	ls.AddUser(acct, leversim.User{ID: "user-riley", Name: "Riley Recruiter", Email: "riley@acme.example"})
	ls.AddStage(acct, stageA, "Phone screen")
	ls.AddStage(acct, stageB, "Assessment")
	ls.AddPosting(acct, leversim.Posting{ID: postingID, Text: "Backend Engineer"})
	ls.AddPosting(acct, leversim.Posting{ID: "post-data", Text: "Data Analyst"})

	ps := platformsim.New(platformsim.Options{APIKey: platformKey})
	platSrv := httptest.NewServer(ps)
	t.Cleanup(platSrv.Close)
	ps.AddAssessment(assessmentID, "Go Basics")
	ps.AddAssessment("sql-basics", "SQL Basics")
	pc, err := assessment.NewClient(platSrv.URL, platformKey)
	if err != nil {
		t.Fatal(err)
	}

	e := &env{t: t, store: st, lever: ls, leverURL: leverSrv.URL, platform: ps}
	srv := httptest.NewUnstartedServer(nil)
	e.url = "http://" + srv.Listener.Addr().String()
	cfg := Config{
		Password: password, SessionKey: []byte(strings.Repeat("k", 32)), PublicURL: e.url,
		UIURL: "http://temporal-ui.test", Namespace: tsrv.GetDefaultNamespace(),
		OAuth: leverauth.Config{
			ClientID: clientID, ClientSecret: clientSecret,
			AuthURL: leverSrv.URL + "/authorize", TokenURL: leverSrv.URL + "/oauth/token",
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	// OAuth-connected accounts refresh their tokens as in production.
	refreshing := func(id string) oauth2.TokenSource { return cfg.OAuth.TokenSource(st, id) }
	clients := accounts.New(st, accounts.Config{LeverBaseURL: leverSrv.URL, Rate: 1000, Burst: 1000, Refreshing: refreshing})
	h, err := newHandler(cfg, Deps{
		Store: st,
		Lever: clients.Client,
		NewLever: func(baseURL, apiKey string) (*lever.Client, error) {
			if baseURL == "" {
				baseURL = leverSrv.URL
			}
			return lever.New(baseURL, lever.WithAPIKey(apiKey))
		},
		Platform: pc,
		Temporal: tsrv.GetDefaultClient(),
		OnConnected: func(_ context.Context, id string) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.connected = append(e.connected, id)
		},
		OnDisconnected: func(_ context.Context, id string) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.disconnected = append(e.disconnected, id)
		},
	})
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	e.handler = h
	r := chi.NewRouter()
	r.Mount(Prefix, h.routes())
	srv.Config.Handler = r
	srv.Start()
	t.Cleanup(srv.Close)
	return e
}

// addAccount stores an account; connected ones use the simulator's static token.
func (e *env) addAccount(id string, connected bool) {
	e.t.Helper()
	a := store.Account{ID: id, Name: "Acme Inc.", Status: store.StatusDisconnected}
	if connected {
		a.Status, a.AccessToken = store.StatusConnected, leverToken
	}
	if err := e.store.PutAccount(context.Background(), a); err != nil {
		e.t.Fatalf("put account: %v", err)
	}
}

func (e *env) account(id string) store.Account {
	e.t.Helper()
	a, err := e.store.Account(context.Background(), id)
	if err != nil {
		e.t.Fatalf("read account %s: %v", id, err)
	}
	return a
}

func (e *env) hookCalls() (connected, disconnected []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.connected...), append([]string(nil), e.disconnected...)
}

// visitor is a browser without JavaScript: a cookie jar, redirects not followed, and the
// CSRF token of the last page it loaded.
type visitor struct {
	t    *testing.T
	hc   *http.Client
	base string
	csrf string
}

func (e *env) newVisitor() *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: e.t, base: e.url, hc: &http.Client{
		Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// loggedIn returns a client with a session.
func (e *env) loggedIn() *visitor {
	c := e.newVisitor()
	c.get("/login")
	res, _ := c.post("/login", url.Values{"password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != Prefix {
		e.t.Fatalf("login: got %d to %q, want 303 to %q", res.StatusCode, res.Header.Get("Location"), Prefix)
	}
	return c
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// abs turns an admin path ("/accounts/x") or a full URL into a URL.
func (c *visitor) abs(p string) string {
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return p
	}
	if strings.HasPrefix(p, Prefix) {
		return c.base + p
	}
	return c.base + Prefix + p
}

func (c *visitor) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("read %s: %v", req.URL.Path, err)
	}
	body := string(b)
	if m := csrfField.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return res, body
}

func (c *visitor) get(p string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.abs(p), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post submits form with the current CSRF token (unless form sets "csrf" itself).
func (c *visitor) post(p string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["csrf"]; !set {
		form.Set("csrf", c.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, c.abs(p), strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// follow loads the page a 303 points to.
func (c *visitor) follow(res *http.Response) (*http.Response, string) {
	c.t.Helper()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		c.t.Fatalf("got status %d, want a redirect", res.StatusCode)
	}
	loc, err := res.Request.URL.Parse(res.Header.Get("Location"))
	if err != nil {
		c.t.Fatal(err)
	}
	return c.get(loc.String())
}

// submit posts and loads the page the answer redirects to.
func (c *visitor) submit(p string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	res, body := c.post(p, form)
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("POST %s: got status %d, want 303; body:\n%s", p, res.StatusCode, body)
	}
	return c.follow(res)
}

func wantContains(t *testing.T, body, want string) {
	t.Helper()
	if !strings.Contains(body, want) {
		t.Errorf("page does not contain %q; got:\n%s", want, body)
	}
}

func wantStatus(t *testing.T, res *http.Response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Errorf("%s %s: got status %d, want %d", res.Request.Method, res.Request.URL.Path, res.StatusCode, want)
	}
}
