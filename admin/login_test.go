package admin

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestPagesRequireLogin(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	tests := []struct{ method, path string }{
		{"GET", "/"},
		{"GET", "/accounts/" + acct},
		{"GET", "/oauth/callback?code=x&state=y"},
		{"POST", "/accounts"},
		{"POST", "/logout"},
		{"POST", "/accounts/" + acct + "/connect"},
		{"POST", "/accounts/" + acct + "/disconnect"},
		{"POST", "/accounts/" + acct + "/apikey"},
		{"POST", "/accounts/" + acct + "/perform-as"},
		{"POST", "/accounts/" + acct + "/stages"},
		{"POST", "/accounts/" + acct + "/webhook-token"},
		{"POST", "/accounts/" + acct + "/catalogue"},
		{"POST", "/accounts/" + acct + "/mappings"},
		{"POST", "/accounts/" + acct + "/bands"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			c := e.newVisitor()
			var res *http.Response
			if tt.method == "GET" {
				res, _ = c.get(tt.path)
			} else {
				res, _ = c.post(tt.path, url.Values{"csrf": {"x"}})
			}
			if got := res.StatusCode; got != http.StatusSeeOther {
				t.Fatalf("got status %d, want %d", got, http.StatusSeeOther)
			}
			if got, want := res.Header.Get("Location"), Prefix+"/login"; got != want {
				t.Errorf("got Location %q, want %q", got, want)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name       string
		password   string
		wantStatus int
		wantBody   string
	}{
		{"wrong password", "guess", http.StatusUnauthorized, "Wrong password."},
		{"empty password", "", http.StatusUnauthorized, "Wrong password."},
		{"right password", password, http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.newVisitor()
			c.get("/login")
			res, body := c.post("/login", url.Values{"password": {tt.password}})
			wantStatus(t, res, tt.wantStatus)
			wantContains(t, body, tt.wantBody)
			loc, _ := url.Parse(c.base + Prefix)
			gotSession := false
			for _, ck := range c.hc.Jar.Cookies(loc) {
				gotSession = gotSession || ck.Name == sessionCookie
			}
			if want := tt.wantStatus == http.StatusSeeOther; gotSession != want {
				t.Errorf("got session cookie %v, want %v", gotSession, want)
			}
			// After a wrong password the index still sends the visitor to the login page.
			res, _ = c.get("/")
			if want := map[bool]int{true: http.StatusOK, false: http.StatusSeeOther}[gotSession]; res.StatusCode != want {
				t.Errorf("GET /admin after login: got status %d, want %d", res.StatusCode, want)
			}
		})
	}
}

func TestLoginCSRF(t *testing.T) {
	e := newEnv(t)
	other := e.newVisitor()
	other.get("/login") // a token bound to another browser's pre-session
	tests := []struct {
		name  string
		csrf  string
		fresh bool // no GET /login first: no pre-session cookie
	}{
		{"missing token", "", false},
		{"wrong token", "bm90LWEtdG9rZW4", false},
		{"token of another browser", other.csrf, false},
		{"no pre-session cookie", other.csrf, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.newVisitor()
			if !tt.fresh {
				c.get("/login")
			}
			res, _ := c.post("/login", url.Values{"password": {password}, "csrf": {tt.csrf}})
			wantStatus(t, res, http.StatusForbidden)
		})
	}
}

func TestCSRFRequiredOnPosts(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	other := e.loggedIn()
	other.get("/")
	c := e.loggedIn()
	c.get("/")
	tests := []struct {
		name string
		csrf string
	}{
		{"missing", ""},
		{"wrong", "bm90LWEtdG9rZW4"},
		{"another session's", other.csrf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range []string{"/accounts", "/logout", "/accounts/" + acct + "/disconnect", "/accounts/" + acct + "/bands"} {
				res, _ := c.post(p, url.Values{"csrf": {tt.csrf}, "id": {"new"}, "name": {"New"}})
				wantStatus(t, res, http.StatusForbidden)
			}
		})
	}
	if got := e.account(acct).Status; got != "connected" {
		t.Errorf("after refused posts: got status %q, want connected", got)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	tests := []struct {
		name       string
		publicURL  string
		wantSecure bool
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
			h := e.handler.routes()
			// Through the handler directly: a cookie jar would not send Secure cookies over http.
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
			pre := findCookie(t, rec.Result().Cookies(), loginCookie)
			csrf := csrfField.FindStringSubmatch(rec.Body.String())
			if csrf == nil {
				t.Fatal("login page has no csrf field")
			}
			req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"password": {password}, "csrf": {csrf[1]}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(pre)
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("login: got status %d, want 303", rec.Code)
			}
			ck := findCookie(t, rec.Result().Cookies(), sessionCookie)
			if !ck.HttpOnly {
				t.Errorf("got HttpOnly false, want true")
			}
			if ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("got SameSite %v, want Lax", ck.SameSite)
			}
			if ck.Path != Prefix {
				t.Errorf("got Path %q, want %q", ck.Path, Prefix)
			}
			if ck.Secure != tt.wantSecure {
				t.Errorf("got Secure %v, want %v", ck.Secure, tt.wantSecure)
			}
			if got, want := time.Duration(ck.MaxAge)*time.Second, sessionTTL; got != want {
				t.Errorf("got Max-Age %v, want %v", got, want)
			}
			if strings.Contains(ck.Value, password) {
				t.Errorf("session cookie holds the password")
			}

			// The cookie works, a tampered or expired one does not.
			tampered := *ck
			tampered.Value = strings.Replace(ck.Value, ".", "x.", 1)
			for _, c := range []struct {
				name   string
				cookie *http.Cookie
				now    time.Time
				want   int
			}{
				{"valid", ck, time.Now(), http.StatusOK},
				{"tampered", &tampered, time.Now(), http.StatusSeeOther},
				{"expired", ck, time.Now().Add(sessionTTL + time.Minute), http.StatusSeeOther},
			} {
				e.handler.now = func() time.Time { return c.now }
				req := httptest.NewRequest("GET", "/", nil)
				req.AddCookie(c.cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != c.want {
					t.Errorf("%s cookie: got status %d, want %d", c.name, rec.Code, c.want)
				}
			}
		})
	}
}

func findCookie(t *testing.T, cookies []*http.Cookie, name string) *http.Cookie {
	t.Helper()
	for _, c := range cookies {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s cookie among %d", name, len(cookies))
	return nil
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	c.get("/")
	res, _ := c.post("/logout", nil)
	if got, want := res.Header.Get("Location"), Prefix+"/login"; res.StatusCode != http.StatusSeeOther || got != want {
		t.Fatalf("logout: got %d to %q, want 303 to %q", res.StatusCode, got, want)
	}
	res, _ = c.get("/")
	wantStatus(t, res, http.StatusSeeOther)
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	res, _ := e.newVisitor().get("/login")
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self' " + e.leverURL} {
		if !strings.Contains(csp, want) {
			t.Errorf("got CSP %q, want it to contain %q", csp, want)
		}
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("got Cache-Control %q, want no-store", got)
	}
}
