package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

type route struct{ method, pattern, path string }

// allRoutes walks the admin router, so a route added later is checked without editing a list.
func allRoutes(t *testing.T, h *handler) []route {
	t.Helper()
	routes, ok := h.routes().(chi.Routes)
	if !ok {
		t.Fatal("admin routes are not a chi router; cannot enumerate them")
	}
	fill := strings.NewReplacer("{id}", acct, "{opp}", "opp-1", "{action}", "reinvite")
	var all []route
	err := chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.ContainsAny(fill.Replace(pattern), "{*") {
			t.Errorf("route %s %s has a parameter this test does not fill", method, pattern)
		}
		all = append(all, route{method, pattern, fill.Replace(pattern)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 20 {
		t.Fatalf("walked %d routes, want the whole admin page (20 or more)", len(all))
	}
	return all
}

// TestEveryRouteRequiresLogin: without a session every route but the sign-in form sends the
// browser to it, and does nothing.
func TestEveryRouteRequiresLogin(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	for _, rt := range allRoutes(t, e.handler) {
		if rt.path == "/login" {
			continue // the sign-in form itself; TestLoginCSRF covers its POST
		}
		t.Run(rt.method+" "+rt.pattern, func(t *testing.T) {
			c := e.newVisitor()
			var res *http.Response
			switch rt.method {
			case http.MethodGet:
				res, _ = c.get(rt.path)
			case http.MethodPost:
				res, _ = c.post(rt.path, url.Values{"csrf": {"x"}, "id": {"new"}, "name": {"New"}, "stage": {stageA}})
			default:
				t.Fatalf("method %s: this test only knows GET and POST", rt.method)
			}
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != Prefix+"/login" {
				t.Errorf("got %d to %q, want 303 to %q", res.StatusCode, res.Header.Get("Location"), Prefix+"/login")
			}
		})
	}
	if a := e.account(acct); a.Status != store.StatusConnected || len(a.TriggerStages) != 0 {
		t.Errorf("after anonymous requests: got status %q and stages %q, want connected and none", a.Status, a.TriggerStages)
	}
	if _, err := e.store.Account(context.Background(), "new"); err == nil {
		t.Errorf("an anonymous POST created an account")
	}
}

// TestEveryPostRequiresCSRF: a signed-in browser's POST without its own session's token is
// refused on every route and changes nothing.
func TestEveryPostRequiresCSRF(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	other := e.loggedIn()
	other.get("/")
	tokens := []struct{ name, csrf string }{
		{"missing", ""},
		{"wrong", "bm90LWEtdG9rZW4"},
		{"another session's", other.csrf},
	}
	form := func(csrf string) url.Values {
		return url.Values{"csrf": {csrf}, "id": {"new"}, "name": {"New"}, "stage": {stageA}, "api_key": {"k"},
			"email": {"riley@acme.example"}, "posting": {postingID}, "assessment": {assessmentID}, "action": {"apply"}}
	}
	signedIn := e.loggedIn() // one session for all: each login spends the login rate limit
	posts := 0
	for _, rt := range allRoutes(t, e.handler) {
		if rt.method != http.MethodPost {
			continue
		}
		posts++
		for _, tok := range tokens {
			t.Run(rt.pattern+" "+tok.name, func(t *testing.T) {
				c := signedIn
				if rt.path == "/login" {
					c = e.newVisitor() // the sign-in form's token is bound to its pre-session
					c.get("/login")
				}
				res, _ := c.post(rt.path, form(tok.csrf))
				wantStatus(t, res, http.StatusForbidden)
			})
		}
	}
	// The session survived its refused logout: the refusals were about the token alone.
	if res, _ := signedIn.get("/"); res.StatusCode != http.StatusOK {
		t.Errorf("after the refused posts: got status %d for the index, want 200", res.StatusCode)
	}
	if posts < 15 {
		t.Errorf("checked %d POST routes, want every form (15 or more)", posts)
	}
	a := e.account(acct)
	if a.Status != store.StatusConnected || len(a.TriggerStages) != 0 || a.PerformAs != "" || a.APIKey != "" {
		t.Errorf("after refused posts: got status %q, stages %q, perform_as %q, api key set %v; want nothing changed",
			a.Status, a.TriggerStages, a.PerformAs, a.APIKey != "")
	}
	if hooks := e.lever.Webhooks(acct); len(hooks) != 0 {
		t.Errorf("after refused posts: got %d webhooks in Lever, want none", len(hooks))
	}
}

// directClient drives the handler without a network or cookie jar, so Secure cookies of an
// https deployment are kept too; it records every cookie the handler sets.
type directClient struct {
	t       *testing.T
	h       http.Handler
	jar     map[string]*http.Cookie
	set     []*http.Cookie
	csrf    string
	reqHost string
}

func (c *directClient) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		if _, ok := form["csrf"]; !ok {
			form.Set("csrf", c.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.reqHost != "" {
		req.Host = c.reqHost
		req.Header.Set("X-Forwarded-Host", c.reqHost)
		req.Header.Set("X-Forwarded-Proto", "https")
	}
	for _, ck := range c.jar {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		c.set = append(c.set, ck)
		if ck.MaxAge < 0 {
			delete(c.jar, ck.Name)
		} else {
			c.jar[ck.Name] = ck
		}
	}
	if m := csrfField.FindStringSubmatch(rec.Body.String()); m != nil {
		c.csrf = m[1]
	}
	return rec
}

func (e *env) direct(t *testing.T) *directClient {
	return &directClient{t: t, h: e.handler.routes(), jar: map[string]*http.Cookie{}}
}

// signIn loads the sign-in form and posts the password.
func (c *directClient) signIn() {
	c.t.Helper()
	c.do(http.MethodGet, "/login", nil)
	if rec := c.do(http.MethodPost, "/login", url.Values{"password": {password}}); rec.Code != http.StatusSeeOther {
		c.t.Fatalf("login: got status %d, want 303", rec.Code)
	}
}

// TestEveryCookieFlags: every cookie the admin page sets (pre-session, session, OAuth state,
// flash, and their clearing) is HttpOnly, SameSite=Lax, limited to the admin path, and Secure
// exactly when the public URL is https; the codec's sign-in cookie is SameSite=Strict on /codec.
func TestEveryCookieFlags(t *testing.T) {
	tests := []struct {
		name, publicURL string
		wantSecure      bool
	}{
		{"http", "", false},
		{"https", "https://admin.example.com", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				if tt.publicURL != "" {
					c.PublicURL = tt.publicURL
				}
			})
			e.addAccount(acct, true)
			c := e.direct(t)
			c.signIn()
			c.do(http.MethodGet, "/accounts/"+acct, nil)
			if rec := c.do(http.MethodPost, "/accounts/"+acct+"/connect", url.Values{}); rec.Code != http.StatusSeeOther {
				t.Fatalf("connect: got status %d, want 303", rec.Code)
			}
			c.do(http.MethodPost, "/accounts/"+acct+"/apikey", url.Values{"api_key": {""}}) // a flash
			c.do(http.MethodGet, "/accounts/"+acct, nil)                                    // the flash shown and cleared
			c.do(http.MethodPost, "/logout", url.Values{})

			seen := map[string]bool{}
			for _, ck := range c.set {
				seen[ck.Name] = true
				// The codec's sign-in cookie goes only to /codec, and never with a cross-site request.
				wantSite, wantPath := http.SameSiteLaxMode, Prefix
				if ck.Name == codecCookie {
					wantSite, wantPath = http.SameSiteStrictMode, CodecPath
				}
				if !ck.HttpOnly || ck.SameSite != wantSite || ck.Path != wantPath || ck.Secure != tt.wantSecure {
					t.Errorf("cookie %s: got HttpOnly %v, SameSite %v, Path %q, Secure %v; want true, %v, %q, %v",
						ck.Name, ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure, wantSite, wantPath, tt.wantSecure)
				}
				if ck.Domain != "" {
					t.Errorf("cookie %s: got Domain %q, want host-only", ck.Name, ck.Domain)
				}
			}
			for _, name := range []string{loginCookie, sessionCookie, oauthCookie, flashCookie} {
				if !seen[name] {
					t.Errorf("cookie %s was never set; the check above did not see it", name)
				}
			}
		})
	}
}

// TestOutsideTextIsEscaped: text that comes from Lever, the platform or Temporal search
// attributes (which hold what webhooks carried) is shown escaped, never as markup.
func TestOutsideTextIsEscaped(t *testing.T) {
	e := newEnv(t)
	suffix := make([]byte, 4)
	rand.Read(suffix)
	id := "xss-" + hex.EncodeToString(suffix) // the Temporal server outlives one run under -count
	token := "lever-token-" + id
	e.lever.AddAccount(id, token)
	if err := e.store.PutAccount(context.Background(), store.Account{ID: id, Name: "XSS Inc.", Status: store.StatusConnected, AccessToken: token}); err != nil {
		t.Fatal(err)
	}
	userName := `<script>alert("user")</script>`
	e.lever.AddUser(id, leversim.User{ID: "user-x", Name: userName, Email: "x@acme.example"})
	e.lever.AddPosting(id, leversim.Posting{ID: postingID, Text: "Backend Engineer"})
	title := `<img src=x onerror=alert("title")>`
	e.platform.AddAssessment("xss-title", title)
	opp, status := `"><script>alert("opp")</script>`, `<svg onload=alert("status")>`

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tc := tsrv.GetDefaultClient()
	wid := workflows.WorkflowID(id, "opp-xss")
	_, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: wid, TaskQueue: "admin-test-no-worker",
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.AttrAccount.ValueSet(id),
			workflows.AttrOpportunity.ValueSet(opp), workflows.AttrStatus.ValueSet(status)),
	}, workflows.WorkflowName, workflows.Input{AccountID: id, OpportunityID: "opp-xss"})
	if err != nil {
		t.Fatalf("start workflow: %v", err)
	}
	t.Cleanup(func() { tc.TerminateWorkflow(context.Background(), wid, "", "test over") })

	c := e.loggedIn()
	c.get("/accounts/" + id)
	_, flashPage := c.submit("/accounts/"+id+"/perform-as", url.Values{"email": {"x@acme.example"}})
	_, cataloguePage := c.submit("/accounts/"+id+"/catalogue", nil)
	var page string
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, page = c.get("/accounts/" + id)
		if strings.Contains(page, "alert(&#34;opp&#34;)") || time.Now().After(deadline) {
			break
		}
	}
	tests := []struct {
		name, page, raw, escaped string
	}{
		{"Lever user name in a notice", flashPage, userName, `&lt;script&gt;alert(&#34;user&#34;)&lt;/script&gt;`},
		{"assessment title from the platform", cataloguePage, title, `&lt;img src=x onerror=alert(&#34;title&#34;)&gt;`},
		{"opportunity from a search attribute", page, opp, `&#34;&gt;&lt;script&gt;alert(&#34;opp&#34;)&lt;/script&gt;`},
		{"status from a search attribute", page, status, `&lt;svg onload=alert(&#34;status&#34;)&gt;`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.page, tt.raw) {
				t.Errorf("page contains %q unescaped", tt.raw)
			}
			wantContains(t, tt.page, tt.escaped)
		})
	}
}

// localPath tells a redirect that stays on this site: a path, not a scheme- or
// protocol-relative URL that a browser would take elsewhere.
func localPath(loc string) bool {
	u, err := url.Parse(loc)
	return err == nil && u.Scheme == "" && u.Host == "" && strings.HasPrefix(loc, "/") &&
		!strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, `/\`)
}

// TestNoOpenRedirects: nothing a request carries (next, redirect parameters, odd paths, Host
// headers) sends the browser off the site, and the OAuth redirect_uri is always the configured one.
func TestNoOpenRedirects(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	evil := []string{"//evil.example", "https://evil.example", `/\evil.example`, "javascript:alert(1)"}

	anon := e.newVisitor()
	signedIn := e.loggedIn()
	signedIn.get("/")
	check := func(t *testing.T, what string, res *http.Response) {
		t.Helper()
		if loc := res.Header.Get("Location"); loc != "" && !localPath(loc) {
			t.Errorf("%s: got redirect to %q, want a path on this site", what, loc)
		}
	}
	for _, target := range evil {
		q := url.Values{"next": {target}, "redirect": {target}, "return_to": {target}, "redirect_uri": {target}}.Encode()
		t.Run(target, func(t *testing.T) {
			c := e.newVisitor()
			c.get("/login?" + q)
			res, _ := c.post("/login?"+q, url.Values{"password": {password}, "next": {target}})
			if got := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || got != Prefix {
				t.Errorf("login: got %d to %q, want 303 to %q", res.StatusCode, got, Prefix)
			}
			for _, p := range []string{"/?" + q, "/login?" + q, "/accounts/" + acct + "?" + q, CallbackPath + "?" + q} {
				res, _ := anon.get(p)
				check(t, "anonymous GET "+p, res)
				res, _ = signedIn.get(p)
				check(t, "signed-in GET "+p, res)
			}
			res, _ = signedIn.post("/accounts/"+acct+"/mappings", url.Values{"posting": {postingID}, "assessment": {""}, "q": {target}})
			check(t, "mapping saved with q", res)
			signedIn.follow(res) // takes the flash, and a fresh CSRF token
			for _, p := range []string{Prefix + "/" + strings.TrimPrefix(target, "/"), Prefix + "//evil.example/", Prefix + "/accounts/" + url.PathEscape(target)} {
				res, _ := anon.get(p)
				check(t, "anonymous GET "+p, res)
				res, _ = signedIn.get(p)
				check(t, "signed-in GET "+p, res)
			}
		})
	}

	// Connect redirects to Lever, with the configured redirect_uri whatever Host the request names.
	c := e.direct(t)
	c.signIn()
	c.do(http.MethodGet, "/accounts/"+acct, nil)
	c.reqHost = "evil.example"
	rec := c.do(http.MethodPost, "/accounts/"+acct+"/connect", url.Values{"redirect_uri": {"https://evil.example/cb"}})
	loc, err := url.Parse(rec.Header().Get("Location"))
	if err != nil || rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc.String(), e.leverURL+"/authorize?") {
		t.Fatalf("connect: got %d to %q, want 303 to Lever's authorize URL", rec.Code, rec.Header().Get("Location"))
	}
	if got, want := loc.Query().Get("redirect_uri"), e.url+CallbackPath; got != want {
		t.Errorf("redirect_uri: got %q, want %q", got, want)
	}
}
