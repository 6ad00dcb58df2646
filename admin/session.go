package admin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"time"
)

// Cookie names and lifetimes. All cookies are HttpOnly, SameSite=Lax, Path=/admin, and Secure
// when the public URL is https.
const (
	sessionCookie = "assessbridge_admin"
	loginCookie   = "assessbridge_login" // pre-session: binds the login form's CSRF token
	oauthCookie   = "assessbridge_oauth" // state, PKCE verifier and account of a running connect
	flashCookie   = "assessbridge_flash"
	// codecCookie is set beside the session for CodecPath only (see SessionVerifier).
	codecCookie = "assessbridge_codec"

	sessionTTL = 12 * time.Hour
	loginTTL   = time.Hour
	oauthTTL   = 10 * time.Minute
	flashTTL   = time.Minute
)

// Signing purposes; each cookie and token kind has its own.
const (
	purposeSession   = "session"
	purposeLogin     = "login"
	purposeOAuth     = "oauth"
	purposeFlash     = "flash"
	purposeCSRF      = "csrf"
	purposeLoginCSRF = "login-csrf"
	purposeCodec     = "codec"
)

// CodecPath is where the front door mounts Temporal's remote codec endpoint (package web).
const CodecPath = "/codec"

// maxFormBytes caps admin form bodies; the largest (rating bands) is well under 1 KiB.
const maxFormBytes = 64 << 10

// session is the signed content of the session cookie. Sessions are stateless: logging out
// clears the cookie, and rotating the session key ends every session at once.
type session struct {
	ID string `json:"sid"`
}

type sessionKey struct{}

func sessionFrom(ctx context.Context) session {
	s, _ := ctx.Value(sessionKey{}).(session)
	return s
}

func newID() string {
	b := make([]byte, 18)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return base64.RawURLEncoding.EncodeToString(b)
}

// secretCookie: encrypted, not only signed: the OAuth cookie holds the PKCE verifier,
// which belongs on the server until the code is redeemed.
func secretCookie(name string) bool { return name == oauthCookie }

func (h *handler) setCookie(w http.ResponseWriter, name, purpose string, v any, ttl time.Duration) error {
	encode := h.sign.encode
	if secretCookie(name) {
		encode = h.sign.seal
	}
	value, err := encode(purpose, v, h.now().Add(ttl))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: Prefix, MaxAge: int(ttl.Seconds()),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
	return nil
}

func (h *handler) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: Prefix, MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (h *handler) readCookie(r *http.Request, name, purpose string, v any) bool {
	c, err := r.Cookie(name)
	if err != nil {
		return false
	}
	if secretCookie(name) {
		return h.sign.open(purpose, c.Value, h.now(), v) == nil
	}
	return h.sign.decode(purpose, c.Value, h.now(), v) == nil
}

func (h *handler) csrfToken(s session) string { return h.sign.token(purposeCSRF, s.ID) }

// requireSession sends visitors without a valid session to the login page, and refuses POSTs
// whose form does not carry the session's CSRF token.
func (h *handler) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var s session
		if !h.readCookie(r, sessionCookie, purposeSession, &s) || s.ID == "" {
			http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !h.validForm(w, r, h.csrfToken(s)) {
			h.renderError(w, r, http.StatusForbidden, "The form has expired or did not come from this site. Go back, reload the page and try again.")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)))
	})
}

// validForm parses the (size-capped) form and compares its csrf field with want in constant time.
func (h *handler) validForm(w http.ResponseWriter, r *http.Request, want string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return false
	}
	got := r.PostForm.Get("csrf")
	return got != "" && hmac.Equal([]byte(got), []byte(want))
}

// setCodecCookie lets the stock Temporal Web UI, which can send cookies but no token, decode
// history through CodecPath for this session. It is a cookie of its own: the session cookie
// stays on /admin, and neither can stand in for the other. SameSite=Strict: the UI must be on
// the same site as the admin page, and no other site's page can make the browser send it.
func (h *handler) setCodecCookie(w http.ResponseWriter, s session) error {
	value, err := h.sign.encode(purposeCodec, s, h.now().Add(sessionTTL))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: codecCookie, Value: value, Path: CodecPath, MaxAge: int(sessionTTL.Seconds()),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteStrictMode,
	})
	return nil
}

func (h *handler) clearCodecCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: codecCookie, Value: "", Path: CodecPath, MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteStrictMode,
	})
}

// SessionVerifier tells the codec endpoint whether a request comes from a browser signed in on
// the admin page (the codec cookie set at sign-in). It needs only the admin page's session key.
type SessionVerifier struct {
	sign signer
	now  func() time.Time
}

// NewSessionVerifier checks sessionKey as New does (Config.SessionKey).
func NewSessionVerifier(sessionKey []byte) (*SessionVerifier, error) {
	if len(sessionKey) < MinSessionKeyLen {
		return nil, fmt.Errorf("admin session verifier: session key must be at least %d bytes", MinSessionKeyLen)
	}
	return &SessionVerifier{sign: signer{key: append([]byte(nil), sessionKey...)}, now: time.Now}, nil
}

// SignedIn reports whether r carries a valid, unexpired codec cookie.
func (v *SessionVerifier) SignedIn(r *http.Request) bool {
	c, err := r.Cookie(codecCookie)
	if err != nil {
		return false
	}
	var s session
	return v.sign.decode(purposeCodec, c.Value, v.now(), &s) == nil && s.ID != ""
}
