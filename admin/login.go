package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
)

type loginView struct {
	Error string
}

// loginPage shows the password form. Its CSRF token is bound to a pre-session cookie, so
// another site cannot log a browser into its own session (login CSRF).
func (h *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	var s session
	if h.readCookie(r, sessionCookie, purposeSession, &s) && s.ID != "" {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
		return
	}
	h.renderLogin(w, r, http.StatusOK, "")
}

func (h *handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	var pre session
	if !h.readCookie(r, loginCookie, purposeLogin, &pre) || pre.ID == "" {
		pre = session{ID: newID()}
		if err := h.setCookie(w, loginCookie, purposeLogin, pre, loginTTL); err != nil {
			h.internalError(w, r, err)
			return
		}
	}
	h.render(w, r, status, "login", view{
		Title: "Sign in",
		CSRF:  h.sign.token(purposeLoginCSRF, pre.ID),
		Body:  loginView{Error: msg},
	})
}

func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	var pre session
	if !h.readCookie(r, loginCookie, purposeLogin, &pre) || pre.ID == "" ||
		!h.validForm(w, r, h.sign.token(purposeLoginCSRF, pre.ID)) {
		h.renderError(w, r, http.StatusForbidden, "The sign-in form has expired. Open the sign-in page again.")
		return
	}
	if !h.loginLimiter.Allow() {
		h.renderLogin(w, r, http.StatusTooManyRequests, "Too many attempts. Wait a few seconds and try again.")
		return
	}
	if !h.passwordMatches(r.PostForm.Get("password")) {
		h.log.Info("admin login refused")
		h.renderLogin(w, r, http.StatusUnauthorized, "Wrong password.")
		return
	}
	// A fresh session id at every login, so an id seen before login is worth nothing after.
	s := session{ID: newID()}
	if err := h.setCookie(w, sessionCookie, purposeSession, s, sessionTTL); err != nil {
		h.internalError(w, r, err)
		return
	}
	if err := h.setCodecCookie(w, s); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.clearCookie(w, loginCookie)
	h.log.Info("admin logged in")
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

// passwordMatches compares digests in constant time, so neither the content nor the length
// of the password leaks through timing.
func (h *handler) passwordMatches(got string) bool {
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(h.cfg.Password))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func (h *handler) logout(w http.ResponseWriter, r *http.Request) {
	h.clearCookie(w, sessionCookie)
	h.clearCookie(w, oauthCookie)
	h.clearCodecCookie(w)
	http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
}
