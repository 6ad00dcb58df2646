package lever_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

const (
	clientID     = "client-1"
	clientSecret = "secret/1+x" // needs escaping in HTTP Basic
	redirectURI  = "https://bridge.example/oauth/callback?tenant=1"
	fullScope    = "offline_access opportunities:write:admin webhooks:write:admin"
	verifier     = "a-verifier-that-is-long-enough-for-pkce-0123456789"
)

// clock is a settable Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newOAuthEnv is newEnv with Lever's auth server on and a settable clock.
func newOAuthEnv(t *testing.T, opts leversim.Options) (*env, *clock) {
	t.Helper()
	c := &clock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	opts.OAuthClientID, opts.OAuthClientSecret, opts.Now = clientID, clientSecret, c.Now
	return newEnv(t, opts), c
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// token POSTs form to /oauth/token, with the client's credentials in HTTP Basic when
// basic is set, and decodes the JSON answer.
func (e *env) token(t *testing.T, form url.Values, basic bool) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(clientSecret))
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("POST /oauth/token: got %v, want an answer", err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("POST /oauth/token: body is not JSON: %v", err)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", cc)
	}
	return resp.StatusCode, body
}

// codeForm is the authorization_code grant with client credentials in the body.
func codeForm(code, verifier string) url.Values {
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"client_id": {clientID}, "client_secret": {clientSecret}}
	if verifier != "" {
		f.Set("code_verifier", verifier)
	}
	return f
}

func refreshForm(refreshToken string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken},
		"client_id": {clientID}, "client_secret": {clientSecret}}
}

// connect runs Authorize and the code exchange, returning the token answer.
func (e *env) connect(t *testing.T, scope string) map[string]any {
	t.Helper()
	code, err := e.sim.Authorize(acct, clientID, redirectURI, scope, "st", "")
	if err != nil {
		t.Fatalf("Authorize: got %v, want nil", err)
	}
	status, body := e.token(t, codeForm(code, ""), false)
	if status != 200 {
		t.Fatalf("exchange: got %d %v, want 200", status, body)
	}
	return body
}

// apiStatus calls GET /opportunities with the bearer token: every scope these tests grant
// covers it (opportunities:write:admin includes the read).
func (e *env) apiStatus(t *testing.T, accessToken string) int {
	t.Helper()
	return e.do(t, "GET", "/opportunities", nil, "Bearer "+accessToken).status
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// page is a fetched HTML page or redirect.
type page struct {
	status   int
	ctype    string
	body     string
	location *url.URL
}

func fetch(t *testing.T, req *http.Request) page {
	t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s: got %v, want an answer", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	p := page{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), body: string(b)}
	if loc := resp.Header.Get("Location"); loc != "" {
		p.location, _ = url.Parse(loc)
	}
	return p
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// submitConsent posts the consent page's form back as a browser would after choosing
// account and pressing the button decision ("allow" or "deny").
func (e *env) submitConsent(t *testing.T, consent, account, decision string) page {
	t.Helper()
	form := url.Values{"account": {account}, "decision": {decision}}
	for _, m := range hiddenInput.FindAllStringSubmatch(consent, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/authorize/decision", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return fetch(t, req)
}

// authorizeURL is GET /authorize with Lever's parameters; change edits them.
func (e *env) authorizeURL(change func(url.Values)) string {
	q := url.Values{"client_id": {clientID}, "redirect_uri": {redirectURI}, "response_type": {"code"},
		"state": {"state-<1>"}, "scope": {fullScope}, "audience": {leversim.DefaultAudience}}
	if change != nil {
		change(q)
	}
	return e.srv.URL + "/authorize?" + q.Encode()
}
