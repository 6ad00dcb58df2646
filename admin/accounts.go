package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/go-chi/chi/v5"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/store"
)

// validAccountID is what an account id may look like. It keeps ids safe in URLs, in
// Temporal visibility queries and in webhook paths.
var validAccountID = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)

const maxAccountNameLen = 100

type accountKey struct{}

// requireAccountID answers 404 for a malformed {id} before any handler sees it.
func (h *handler) requireAccountID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "id")
		if !validAccountID.MatchString(id) {
			h.renderError(w, r, http.StatusNotFound, "There is no such account.")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), accountKey{}, id)))
	})
}

func accountIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(accountKey{}).(string)
	return id
}

func accountPath(id string) string { return Prefix + "/accounts/" + id }

// account reads the request's account; on failure it has answered (404 or 500).
func (h *handler) account(w http.ResponseWriter, r *http.Request) (store.Account, bool) {
	id := accountIDFrom(r.Context())
	a, err := h.deps.Store.Account(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		h.renderError(w, r, http.StatusNotFound, "There is no such account.")
		return store.Account{}, false
	}
	if err != nil {
		h.internalError(w, r, err)
		return store.Account{}, false
	}
	return a, true
}

// patchAccount lets change edit the account under the store's row lock, so a settings save
// never writes back tokens a worker refreshed in the meantime.
func (h *handler) patchAccount(ctx context.Context, id string, change func(a *store.Account)) error {
	err := h.deps.Store.UpdateAccount(ctx, id, func(a *store.Account) error {
		change(a)
		return nil
	})
	if err != nil {
		return fmt.Errorf("save account %s: %w", id, err)
	}
	return nil
}

// hasCredentials: the account can call Lever (OAuth tokens or an API key).
func hasCredentials(a store.Account) bool {
	return a.APIKey != "" || a.AccessToken != "" || a.RefreshToken != ""
}

func usable(a store.Account) bool {
	return a.Status == store.StatusConnected && hasCredentials(a)
}

func credentialKind(a store.Account) string {
	switch {
	case a.APIKey != "":
		return "API key"
	case a.AccessToken != "" || a.RefreshToken != "":
		return "OAuth"
	}
	return "none"
}

type accountRow struct {
	ID, Name, Status, Credentials string
}

type indexView struct {
	Accounts []accountRow
	NewID    string
	NewName  string
}

func (h *handler) index(w http.ResponseWriter, r *http.Request) {
	h.renderIndex(w, r, http.StatusOK, indexView{}, h.takeFlash(w, r))
}

func (h *handler) renderIndex(w http.ResponseWriter, r *http.Request, status int, body indexView, notices []notice) {
	list, err := h.deps.Store.Accounts(r.Context())
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	for _, a := range list {
		st := a.Status
		if !hasCredentials(a) {
			st = store.StatusDisconnected
		}
		body.Accounts = append(body.Accounts, accountRow{ID: a.ID, Name: a.Name, Status: st, Credentials: credentialKind(a)})
	}
	h.render(w, r, status, "index", view{
		Title: "Lever accounts", CSRF: h.csrfToken(sessionFrom(r.Context())), SignedIn: true,
		Notices: notices, Body: body,
	})
}

// addAccount creates an account with no credentials yet; it is connected on its own page.
func (h *handler) addAccount(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSpace(r.PostForm.Get("id"))
	name := strings.TrimSpace(r.PostForm.Get("name"))
	form := indexView{NewID: id, NewName: name}
	switch {
	case !validAccountID.MatchString(id):
		h.renderIndex(w, r, http.StatusUnprocessableEntity, form,
			[]notice{failure("The account id must be 1 to 40 characters: lowercase letters, digits and dashes.")})
		return
	case name == "" || len(name) > maxAccountNameLen:
		h.renderIndex(w, r, http.StatusUnprocessableEntity, form,
			[]notice{failure(fmt.Sprintf("Give the account a name of at most %d characters.", maxAccountNameLen))})
		return
	}
	_, err := h.deps.Store.Account(r.Context(), id)
	switch {
	case err == nil:
		h.renderIndex(w, r, http.StatusConflict, form, []notice{failure("An account with this id exists already.")})
		return
	case !errors.Is(err, store.ErrNotFound):
		h.internalError(w, r, err)
		return
	}
	if err := h.deps.Store.PutAccount(r.Context(), store.Account{ID: id, Name: name, Status: store.StatusDisconnected}); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin added account", zap.String("account_id", id))
	h.flash(w, success("Account added. Connect it to Lever next."))
	http.Redirect(w, r, accountPath(id), http.StatusSeeOther)
}
