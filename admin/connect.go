package admin

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// oauthState is the signed content of the OAuth cookie: which session started which
// authorization for which account.
type oauthState struct {
	SessionID string `json:"sid"`
	State     string `json:"state"`
	Verifier  string `json:"verifier"`
	Account   string `json:"account"`
}

// connect starts Lever's OAuth consent for the account.
func (h *handler) connect(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	if !h.cfg.OAuth.Enabled() {
		h.flash(w, failure("Lever OAuth is not configured on this server; paste an API key instead."))
		http.Redirect(w, r, accountPath(a.ID), http.StatusSeeOther)
		return
	}
	authURL, state, verifier := h.cfg.OAuth.Begin()
	st := oauthState{SessionID: sessionFrom(r.Context()).ID, State: state, Verifier: verifier, Account: a.ID}
	if err := h.setCookie(w, oauthCookie, purposeOAuth, st, oauthTTL); err != nil {
		h.internalError(w, r, err)
		return
	}
	http.Redirect(w, r, authURL, http.StatusSeeOther)
}

// oauthErrorCode matches OAuth error codes (RFC 6749 §5.2); anything else is not echoed.
var oauthErrorCode = regexp.MustCompile(`^[a-z_]{1,40}$`)

// oauthCallback finishes the consent: the state must be the one this session started.
func (h *handler) oauthCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var st oauthState
	if !h.readCookie(r, oauthCookie, purposeOAuth, &st) || st.SessionID != sessionFrom(r.Context()).ID ||
		q.Get("state") == "" || !hmac.Equal([]byte(q.Get("state")), []byte(st.State)) || !validAccountID.MatchString(st.Account) {
		h.renderError(w, r, http.StatusBadRequest, "This Lever authorization does not match the one this browser started "+
			"(or it took longer than 10 minutes). Start again with “Connect Lever” on the account page.")
		return
	}
	h.clearCookie(w, oauthCookie) // one use
	back := accountPath(st.Account)
	if e := q.Get("error"); e != "" {
		msg := "Lever authorization was denied; the account was not connected."
		if e != "access_denied" {
			if !oauthErrorCode.MatchString(e) {
				e = "unknown"
			}
			msg = fmt.Sprintf("Lever did not authorize the connection (%s); the account was not connected.", e)
		}
		h.log.Info("lever authorization refused", zap.String("account_id", st.Account), zap.String("error", e))
		h.flash(w, failure(msg))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	code := q.Get("code")
	if code == "" {
		h.renderError(w, r, http.StatusBadRequest, "Lever's answer carries no authorization code. Start again with “Connect Lever”.")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), actionTimeout)
	defer cancel()
	a, err := h.deps.Store.Account(ctx, st.Account)
	if errors.Is(err, store.ErrNotFound) {
		h.renderError(w, r, http.StatusNotFound, "The account was deleted while Lever asked for consent.")
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	tok, err := h.cfg.OAuth.Finish(ctx, code, st.Verifier)
	if err != nil {
		h.log.Warn("lever token exchange failed", zap.String("account_id", a.ID), zap.Error(err))
		h.flash(w, failure("Lever did not accept the authorization code; the account was not connected. Try again."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	// An API key would win over the tokens when clients are built; connecting replaces it.
	if a.APIKey != "" {
		if err := h.patchAccount(ctx, a.ID, func(a *store.Account) { a.APIKey = "" }); err != nil {
			h.internalError(w, r, err)
			return
		}
	}
	if err := h.deps.Store.SaveTokens(ctx, a.ID, tok.AccessToken, tok.RefreshToken, tok.Expiry); err != nil {
		h.internalError(w, r, err)
		return
	}
	// A new grant: scopes Lever refused before may be granted now, the next 403 says if not.
	if err := h.deps.Store.ClearMissingScopes(ctx, a.ID); err != nil {
		h.internalError(w, r, err)
		return
	}
	if err := h.deps.Store.SetStatus(ctx, a.ID, store.StatusConnected); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("lever account connected", zap.String("account_id", a.ID), zap.String("with", "oauth"))
	more, err := h.afterConnect(ctx, a)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.flash(w, append([]notice{success("Connected to Lever.")}, more...)...)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// afterConnect calls the hook and, when trigger stages were chosen before (a reconnect),
// registers the webhooks a disconnect removed.
func (h *handler) afterConnect(ctx context.Context, a store.Account) ([]notice, error) {
	if h.deps.OnConnected != nil {
		h.deps.OnConnected(ctx, a.ID)
	}
	want := wantedEvents(a)
	if len(want) == 0 {
		return []notice{hint("Next: choose the trigger stages below.")}, nil
	}
	lc, err := h.deps.Lever(ctx, a.ID)
	if err != nil {
		return []notice{h.accountLeverProblem(ctx, a.ID, "preparing the Lever client", err)}, nil
	}
	notices, _, err := h.syncAndSave(ctx, a.ID, lc, want)
	return notices, err
}

// saveAPIKey connects the account with a pasted Lever API key, after one call proves it works.
func (h *handler) saveAPIKey(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID)
	key := strings.TrimSpace(r.PostForm.Get("api_key"))
	if key == "" || strings.ContainsFunc(key, func(c rune) bool { return c <= ' ' || c == 0x7f }) {
		h.flash(w, failure("Paste the Lever API key (no spaces)."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), actionTimeout)
	defer cancel()
	lc, err := h.deps.NewLever(a.LeverBaseURL, key)
	if err != nil {
		h.internalError(w, r, fmt.Errorf("lever client for api key check: %w", err))
		return
	}
	if _, err := lc.ListStages(ctx); err != nil {
		n := h.leverProblem(a.ID, "checking the API key", err)
		if errors.Is(err, lever.ErrAccessRevoked) {
			n = failure("Lever did not accept this API key (401); the account was not connected.")
		}
		h.flash(w, n)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	err = h.patchAccount(ctx, a.ID, func(a *store.Account) {
		a.APIKey, a.AccessToken, a.RefreshToken, a.TokenExpiry = key, "", "", time.Time{}
		a.Status = store.StatusConnected
	})
	if err == nil {
		err = h.deps.Store.ClearMissingScopes(ctx, a.ID) // the new key has its own permissions
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("lever account connected", zap.String("account_id", a.ID), zap.String("with", "api key"))
	more, err := h.afterConnect(ctx, a)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.flash(w, append([]notice{success("Connected to Lever with the API key.")}, more...)...)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// disconnect removes our webhooks from Lever (best effort: Lever may have revoked us
// already), then forgets the credentials.
func (h *handler) disconnect(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), actionTimeout)
	defer cancel()
	var notices []notice
	var res syncResult
	if hasCredentials(a) {
		lc, err := h.deps.Lever(ctx, a.ID)
		if err == nil {
			res, err = syncWebhooks(ctx, lc, a.ID, h.webhookURL(a.ID), nil)
		}
		switch {
		case err != nil:
			notices = append(notices, h.leverProblem(a.ID, "removing our webhooks", err),
				hint("Remove assessbridge's webhooks in Lever's settings (Integrations and API → Webhooks)."))
		case res.Manual || len(res.ByHand) > 0:
			notices = append(notices, hint("Webhooks made by hand in Lever's settings stay; remove them there."))
		}
	}
	err := h.patchAccount(ctx, a.ID, func(a *store.Account) {
		a.AccessToken, a.RefreshToken, a.APIKey, a.TokenExpiry = "", "", "", time.Time{}
		a.Status = store.StatusDisconnected
		a.WebhookTokens = res.applyTokens(a.WebhookTokens)
	})
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	if h.deps.OnDisconnected != nil {
		h.deps.OnDisconnected(ctx, a.ID)
	}
	h.log.Info("lever account disconnected", zap.String("account_id", a.ID), zap.Int("webhooks_deleted", res.Deleted))
	notices = append([]notice{success(fmt.Sprintf("Disconnected from Lever; removed %d webhook(s).", res.Deleted))}, notices...)
	h.flash(w, notices...)
	http.Redirect(w, r, accountPath(a.ID), http.StatusSeeOther)
}

// savePerformAs resolves a Lever user by email and stores the id writes are performed as.
// The email is neither stored nor logged.
func (h *handler) savePerformAs(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID)
	email := strings.TrimSpace(r.PostForm.Get("email"))
	if !strings.Contains(email, "@") || len(email) > 254 {
		h.flash(w, failure("Enter the email address of a Lever user."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	if !usable(a) {
		h.flash(w, failure("Connect the account to Lever first."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), actionTimeout)
	defer cancel()
	lc, err := h.deps.Lever(ctx, a.ID)
	var u *lever.User
	if err == nil {
		u, err = lc.FindUserByEmail(ctx, email)
	}
	switch {
	case errors.Is(err, lever.ErrNotFound):
		h.flash(w, failure("No Lever user has that email address."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	case err != nil:
		h.flash(w, h.accountLeverProblem(ctx, a.ID, "looking up the user", err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	if err := h.patchAccount(ctx, a.ID, func(a *store.Account) { a.PerformAs = u.ID }); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin set perform_as user", zap.String("account_id", a.ID), zap.String("lever_user_id", u.ID))
	h.flash(w, success(fmt.Sprintf("Feedback and notes will be written in Lever as %s (user %s).", u.Name, u.ID)))
	http.Redirect(w, r, back, http.StatusSeeOther)
}
