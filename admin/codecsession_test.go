package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// codecRequest is a request to the codec endpoint carrying the cookies a browser would send it.
func codecRequest(t *testing.T, c *visitor) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+CodecPath+"/decode", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range c.hc.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	return req
}

// TestSignInSetsCodecCookie: signing in gives the browser a cookie for the codec endpoint only,
// which the verifier accepts until it expires; signing out takes it away.
func TestSignInSetsCodecCookie(t *testing.T) {
	e := newEnv(t)
	c := e.newVisitor()
	c.get("/login")
	res, _ := c.post("/login", url.Values{"password": {password}})
	var set *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == codecCookie {
			set = ck
		}
	}
	if set == nil {
		t.Fatal("sign in: no codec cookie set")
	}
	if set.Path != CodecPath || !set.HttpOnly || set.SameSite != http.SameSiteStrictMode || set.MaxAge != int(sessionTTL.Seconds()) {
		t.Errorf("codec cookie: got path %q, HttpOnly %v, SameSite %v, MaxAge %d; want %q, true, Strict, %d",
			set.Path, set.HttpOnly, set.SameSite, set.MaxAge, CodecPath, int(sessionTTL.Seconds()))
	}
	adminURL, _ := url.Parse(e.url + Prefix + "/")
	for _, ck := range c.hc.Jar.Cookies(adminURL) {
		if ck.Name == codecCookie {
			t.Errorf("the codec cookie is sent to the admin page too; want it on %s only", CodecPath)
		}
	}

	key := []byte(strings.Repeat("k", 32)) // the harness's session key
	v, err := NewSessionVerifier(key)
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewSessionVerifier([]byte(strings.Repeat("o", 32)))
	if err != nil {
		t.Fatal(err)
	}
	later, err := NewSessionVerifier(key)
	if err != nil {
		t.Fatal(err)
	}
	later.now = func() time.Time { return time.Now().Add(sessionTTL + time.Minute) }

	signedIn := codecRequest(t, c)
	var sessionValue string
	for _, ck := range c.hc.Jar.Cookies(adminURL) {
		if ck.Name == sessionCookie {
			sessionValue = ck.Value
		}
	}
	sessionAsCodec, _ := http.NewRequest(http.MethodPost, e.url+CodecPath+"/decode", nil)
	sessionAsCodec.AddCookie(&http.Cookie{Name: codecCookie, Value: sessionValue})
	tampered, _ := http.NewRequest(http.MethodPost, e.url+CodecPath+"/decode", nil)
	tampered.AddCookie(&http.Cookie{Name: codecCookie, Value: "x" + set.Value})
	none, _ := http.NewRequest(http.MethodPost, e.url+CodecPath+"/decode", nil)

	tests := []struct {
		name string
		v    *SessionVerifier
		req  *http.Request
		want bool
	}{
		{"signed in", v, signedIn, true},
		{"expired", later, signedIn, false},
		{"another installation's key", other, signedIn, false},
		{"the session cookie's value", v, sessionAsCodec, false},
		{"tampered", v, tampered, false},
		{"no cookie", v, none, false},
	}
	for _, tt := range tests {
		if got := tt.v.SignedIn(tt.req); got != tt.want {
			t.Errorf("%s: SignedIn got %v, want %v", tt.name, got, tt.want)
		}
	}

	c.get("/")
	c.post("/logout", nil)
	if got := v.SignedIn(codecRequest(t, c)); got {
		t.Error("after signing out: SignedIn got true, want false (the browser still has the cookie)")
	}
	if _, err := NewSessionVerifier([]byte("short")); err == nil {
		t.Error("NewSessionVerifier with a short key: got nil error, want one")
	}
}
