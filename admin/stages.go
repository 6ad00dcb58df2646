package admin

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// actionTimeout bounds the Lever calls behind one form submission; it stays below the front
// door's 30 s request timeout so the admin gets our notice, not a bare 504.
const actionTimeout = 25 * time.Second

// saveStages stores the chosen trigger stages, then makes Lever's webhooks follow: at least one
// stage needs our four webhooks, none needs none.
func (h *handler) saveStages(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID) + "#stages"
	if !usable(a) {
		h.flash(w, failure("Connect the account to Lever before choosing trigger stages."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), actionTimeout)
	defer cancel()
	lc, err := h.deps.Lever(ctx, a.ID)
	if err != nil {
		h.flash(w, h.accountLeverProblem(ctx, a.ID, "preparing the Lever client", err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	stages, err := lc.ListStages(ctx)
	if err != nil {
		h.flash(w, h.accountLeverProblem(ctx, a.ID, "listing stages", err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	// Only stages Lever lists are kept, in Lever's pipeline order.
	picked := r.PostForm["stage"]
	var chosen []string
	for _, s := range stages {
		if slices.Contains(picked, s.ID) {
			chosen = append(chosen, s.ID)
		}
	}
	var saved store.Account
	if err := h.patchAccount(ctx, a.ID, func(a *store.Account) { a.TriggerStages = chosen; saved = *a }); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin saved trigger stages", zap.String("account_id", a.ID), zap.Int("stages", len(chosen)))
	notices := []notice{success(fmt.Sprintf("Saved %d trigger stage(s).", len(chosen)))}
	more, manual, err := h.syncAndSave(ctx, a.ID, lc, wantedEvents(saved))
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	notices = append(notices, more...)
	if manual {
		back = accountPath(a.ID) + "?webhooks=manual#webhooks"
	}
	h.flash(w, notices...)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// syncAndSave runs syncWebhooks and saves its token changes, also after a partial failure.
// Lever failures come back as notices; only a store failure is an error.
func (h *handler) syncAndSave(ctx context.Context, accountID string, api webhookAPI, want []string) ([]notice, bool, error) {
	res, syncErr := syncWebhooks(ctx, api, accountID, h.webhookURL(accountID), want)
	if len(res.Added) > 0 || len(res.Dropped) > 0 {
		err := h.patchAccount(ctx, accountID, func(a *store.Account) { a.WebhookTokens = res.applyTokens(a.WebhookTokens) })
		if err != nil {
			return nil, false, err
		}
	}
	h.log.Info("admin synced lever webhooks", zap.String("account_id", accountID), zap.Int("events", len(want)),
		zap.Int("created", res.Created), zap.Int("deleted", res.Deleted), zap.Bool("manual", res.Manual), zap.Error(syncErr))
	var notices []notice
	switch {
	case syncErr != nil:
		notices = append(notices, h.accountLeverProblem(ctx, accountID, "registering webhooks", syncErr))
	case res.Manual:
		h.noteLeverError(ctx, accountID, res.Refused) // the connection section names the scope
		notices = append(notices, failure("Lever does not let assessbridge manage webhooks for this account (403). "+
			"Add them by hand in Lever as shown under Webhooks, then paste each signature token there."))
	case len(want) > 0:
		notices = append(notices,
			success(fmt.Sprintf("Lever webhooks for all %d events point to this deployment (%d created, %d removed).", len(want), res.Created, res.Deleted)),
			hint(superAdminStep))
		if slices.Contains(want, lever.EventApplicationCreated) {
			notices = append(notices, hint(applicationStep))
		}
	default:
		notices = append(notices, success(fmt.Sprintf("No trigger stages: removed %d assessbridge webhook(s) from Lever.", res.Deleted)))
	}
	if len(res.ByHand) > 0 {
		notices = append(notices, hint("Some webhooks ("+strings.Join(res.ByHand, ", ")+
			") were made by hand in Lever's settings; only Lever's settings page can change or remove them."))
	}
	return notices, res.Manual, nil
}

// Signature tokens are Lever-generated ASCII; the bounds only catch pasting the wrong thing.
const (
	minWebhookTokenLen = 16
	maxWebhookTokenLen = 256
)

// addWebhookToken stores a signature token copied from a webhook made by hand in Lever.
func (h *handler) addWebhookToken(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID) + "?webhooks=manual#webhooks"
	token := strings.TrimSpace(r.PostForm.Get("token"))
	if len(token) < minWebhookTokenLen || len(token) > maxWebhookTokenLen || strings.ContainsFunc(token, func(c rune) bool {
		return c > unicode.MaxASCII || unicode.IsSpace(c) || unicode.IsControl(c)
	}) {
		h.flash(w, failure(fmt.Sprintf("That does not look like a Lever signature token (%d–%d characters, no spaces).", minWebhookTokenLen, maxWebhookTokenLen)))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	var count int
	err := h.patchAccount(r.Context(), a.ID, func(a *store.Account) {
		if !slices.Contains(a.WebhookTokens, token) {
			a.WebhookTokens = append(a.WebhookTokens, token)
		}
		count = len(a.WebhookTokens)
	})
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin added a webhook signature token", zap.String("account_id", a.ID))
	h.flash(w, success(fmt.Sprintf("Signature token saved; the account now verifies webhooks with %d token(s).", count)))
	http.Redirect(w, r, back, http.StatusSeeOther)
}
