package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// leverProblem logs a failed Lever call and returns a sentence for the admin: what we were
// doing, and what to do about it. Lever's own message (bounded, query-free) is passed on. It
// changes nothing: calls made with the account's own client go through accountLeverProblem.
func (h *handler) leverProblem(accountID, doing string, err error) notice {
	h.log.Warn("lever call from admin page failed", zap.String("account_id", accountID),
		zap.String("doing", doing), zap.Error(err))
	apiErr, isAPI := errors.AsType[*lever.APIError](err)
	scope, forbidden := lever.MissingScope(err)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return failure(fmt.Sprintf("Lever did not answer in time while %s. Try again in a moment.", doing))
	case errors.Is(err, lever.ErrAccessRevoked):
		return failure(fmt.Sprintf("Lever no longer accepts this account's credentials (%s). Connect the account again.", doing))
	case forbidden && scope != "":
		return failure(fmt.Sprintf("Lever did not grant %s while %s: reconnect to grant it.", scope, doing))
	case forbidden:
		return failure(fmt.Sprintf("Lever refused access while %s (status 403%s). Check the app's permissions in Lever, or connect the account again.",
			doing, leverMessage(apiErr)))
	case isAPI:
		return failure(fmt.Sprintf("Lever answered status %d while %s%s.", apiErr.StatusCode, doing, leverMessage(apiErr)))
	default:
		return failure(fmt.Sprintf("Could not reach Lever while %s. Try again in a moment; the details are in the server log.", doing))
	}
}

// accountLeverProblem is leverProblem for a call made with the account's own client, which
// also records what the failure says about the account (see noteLeverError).
func (h *handler) accountLeverProblem(ctx context.Context, accountID, doing string, err error) notice {
	n := h.leverProblem(accountID, doing, err)
	if h.noteLeverError(ctx, accountID, err) == store.StatusDisconnected {
		n.Text += " The account is now marked disconnected."
	}
	return n
}

// noteLeverError records what a failed call with the account's own client says about the
// account: a revocation (a 401 after the client's token refresh, or a refused refresh) marks it
// disconnected, as the activities do; a 403 records the missing scope, and the account stays
// connected. It returns store.StatusDisconnected when it disconnected the account.
func (h *handler) noteLeverError(ctx context.Context, accountID string, err error) string {
	// The page's own deadline may be what ended the call: the note gets its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), noteTimeout)
	defer cancel()
	switch scope, forbidden := lever.MissingScope(err); {
	case errors.Is(err, lever.ErrAccessRevoked):
		if serr := h.deps.Store.SetStatus(ctx, accountID, store.StatusDisconnected); serr != nil {
			h.log.Error("mark revoked lever account disconnected", zap.String("account_id", accountID), zap.Error(serr))
			return ""
		}
		h.log.Warn("lever access revoked; account marked disconnected", zap.String("account_id", accountID))
		return store.StatusDisconnected
	case forbidden && scope != "":
		if serr := h.deps.Store.AddMissingScope(ctx, accountID, scope); serr != nil {
			h.log.Error("record missing lever scope", zap.String("account_id", accountID), zap.String("scope", scope), zap.Error(serr))
		}
	}
	return ""
}

// noteTimeout bounds noteLeverError's store write.
const noteTimeout = 5 * time.Second

func leverMessage(e *lever.APIError) string {
	if e == nil || e.Message == "" {
		return ""
	}
	return ": " + e.Message
}

// platformProblem is leverProblem for the assessment platform.
func (h *handler) platformProblem(doing string, err error) notice {
	h.log.Warn("assessment platform call from admin page failed", zap.String("doing", doing), zap.Error(err))
	if apiErr, ok := errors.AsType[*assessment.APIError](err); ok {
		msg := ""
		if apiErr.Message != "" {
			msg = ": " + apiErr.Message
		}
		return failure(fmt.Sprintf("The assessment platform answered status %d while %s%s.", apiErr.StatusCode, doing, msg))
	}
	return failure(fmt.Sprintf("Could not reach the assessment platform while %s. Try again in a moment.", doing))
}
