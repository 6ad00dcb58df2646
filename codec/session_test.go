package codec

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/assessbridge/assessbridge/admin"
	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

const adminPassword = "admin-password-for-codec-tests"

// sessionSite is one site with the admin page under /admin and the codec endpoint under /codec,
// as the front door mounts them, sharing one session key.
type sessionSite struct {
	url string
}

// keyByte makes the installation's session key; sites with different ones share nothing.
func newSessionSite(t *testing.T, keyByte byte) sessionSite {
	t.Helper()
	sessionKey := bytes.Repeat([]byte{keyByte}, admin.MinSessionKeyLen)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "store.db"), bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	// The admin page needs these to start; signing in never calls them.
	pc, err := assessment.NewClient("http://127.0.0.1:9", "unused")
	if err != nil {
		t.Fatal(err)
	}
	tc, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:9", Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	adminHandler, err := admin.New(admin.Config{Password: adminPassword, SessionKey: sessionKey, PublicURL: base}, admin.Deps{
		Store:    st,
		Lever:    func(context.Context, string) (*lever.Client, error) { return nil, errors.New("no lever here") },
		NewLever: func(string, string) (*lever.Client, error) { return nil, errors.New("no lever here") },
		Platform: pc,
		Temporal: tc,
	})
	if err != nil {
		t.Fatalf("admin: %v", err)
	}
	sessions, err := admin.NewSessionVerifier(sessionKey)
	if err != nil {
		t.Fatalf("session verifier: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle(admin.Prefix+"/", http.StripPrefix(admin.Prefix, adminHandler))
	mux.Handle(admin.CodecPath+"/", Handler(mustCodec(t, testKeys("k1")), []string{uiOrigin}, testToken, sessions))
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return sessionSite{url: base}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs in on the admin page as a browser would and returns the browser's cookie jar.
func (s sessionSite) signIn(t *testing.T) http.CookieJar {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := hc.Get(s.url + admin.Prefix + "/login")
	if err != nil {
		t.Fatalf("login page: %v", err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("read login page: %v", err)
	}
	m := csrfField.FindStringSubmatch(string(page))
	if m == nil {
		t.Fatalf("login page without a csrf field: %.300s", page)
	}
	resp, err = hc.PostForm(s.url+admin.Prefix+"/login", url.Values{"csrf": {m[1]}, "password": {adminPassword}})
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK { // the redirect to the index, followed
		t.Fatalf("sign in: got status %d, want 200", resp.StatusCode)
	}
	return jar
}

// codecCookieHeader is the Cookie header the browser sends to the codec endpoint.
func codecCookieHeader(t *testing.T, jar http.CookieJar, base string) string {
	t.Helper()
	u, _ := url.Parse(base + admin.CodecPath + "/decode")
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	if len(parts) == 0 {
		t.Fatal("signed in, but the browser has no cookie for the codec endpoint")
	}
	return strings.Join(parts, "; ")
}

// TestHandlerAcceptsAdminSession: the stock Web UI sends the admin's cookies (with the UI's
// include-credentials setting) but no token; a signed-in admin's cookie decodes, nothing else
// does, and the bearer token still works for the CLI.
func TestHandlerAcceptsAdminSession(t *testing.T) {
	site := newSessionSite(t, 7)
	other := newSessionSite(t, 8)
	cookie := codecCookieHeader(t, site.signIn(t), site.url)
	otherSite := codecCookieHeader(t, other.signIn(t), other.url)
	name, value, _ := strings.Cut(cookie, "=")
	forged := name + "=" + strings.Replace(value, ".", "x.", 1) // payload changed, signature kept

	tests := []struct {
		name       string
		header     map[string]string
		wantStatus int
	}{
		{"signed-in cookie from the ui", map[string]string{"Cookie": cookie, "Origin": uiOrigin}, http.StatusOK},
		{"signed-in cookie without origin", map[string]string{"Cookie": cookie}, http.StatusOK},
		{"bearer token", map[string]string{"Authorization": "Bearer " + testToken, "Origin": uiOrigin}, http.StatusOK},
		{"no credentials", map[string]string{"Origin": uiOrigin}, http.StatusUnauthorized},
		{"forged cookie", map[string]string{"Cookie": forged, "Origin": uiOrigin}, http.StatusUnauthorized},
		{"cookie with an empty value", map[string]string{"Cookie": name + "=", "Origin": uiOrigin}, http.StatusUnauthorized},
		{"cookie from another origin", map[string]string{"Cookie": cookie, "Origin": "https://evil.example.com"}, http.StatusUnauthorized},
		{"cookie of another installation", map[string]string{"Cookie": otherSite, "Origin": uiOrigin}, http.StatusUnauthorized},
		{"wrong bearer with a good cookie", map[string]string{"Cookie": cookie, "Authorization": "Bearer nope", "Origin": uiOrigin}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": "application/json"}
			for k, v := range tt.header {
				h[k] = v
			}
			resp, body := do(t, http.MethodPost, site.url+admin.CodecPath+"/decode", h, `{"payloads":[]}`)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d (%s), want %d", resp.StatusCode, body, tt.wantStatus)
			}
			if tt.header["Origin"] == uiOrigin {
				if got := resp.Header.Get("Access-Control-Allow-Origin"); got != uiOrigin {
					t.Errorf("Access-Control-Allow-Origin: got %q, want %q", got, uiOrigin)
				}
				if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "true" {
					t.Errorf("Access-Control-Allow-Credentials: got %q, want true", got)
				}
			}
		})
	}
}

// TestPreflightWithCredentials: the Web UI's fetch with credentials is preceded by a preflight
// (JSON body, X-Namespace), which carries no cookie; the answer names the UI's origin exactly and
// allows credentials, as browsers refuse "*" with credentials.
func TestPreflightWithCredentials(t *testing.T) {
	site := newSessionSite(t, 7)
	tests := []struct {
		name        string
		origin      string
		wantStatus  int
		wantOrigin  string
		wantCredent string
	}{
		{"the ui", uiOrigin, http.StatusNoContent, uiOrigin, "true"},
		{"another origin", "https://evil.example.com", http.StatusForbidden, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, http.MethodOptions, site.url+admin.CodecPath+"/decode", map[string]string{
				"Origin": tt.origin, "Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "content-type,x-namespace",
			}, "")
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d (%s), want %d", resp.StatusCode, body, tt.wantStatus)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.wantOrigin {
				t.Errorf("Access-Control-Allow-Origin: got %q, want %q", got, tt.wantOrigin)
			}
			if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != tt.wantCredent {
				t.Errorf("Access-Control-Allow-Credentials: got %q, want %q", got, tt.wantCredent)
			}
			if tt.wantStatus == http.StatusNoContent {
				allowed := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
				for _, h := range []string{"content-type", "x-namespace"} {
					if !strings.Contains(allowed, h) {
						t.Errorf("Access-Control-Allow-Headers: got %q, want it to list %s", allowed, h)
					}
				}
			}
		})
	}
}
