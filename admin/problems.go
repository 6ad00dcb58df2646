package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
)

// leverProblem logs a failed Lever call and returns a sentence for the admin: what we were
// doing, and what to do about it. Lever's own message (bounded, query-free) is passed on.
func (h *handler) leverProblem(accountID, doing string, err error) notice {
	h.log.Warn("lever call from admin page failed", zap.String("account_id", accountID),
		zap.String("doing", doing), zap.Error(err))
	apiErr, isAPI := errors.AsType[*lever.APIError](err)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return failure(fmt.Sprintf("Lever did not answer in time while %s. Try again in a moment.", doing))
	case isAPI && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden):
		return failure(fmt.Sprintf("Lever refused access while %s (status %d%s). Check the app's permissions in Lever, or connect the account again.",
			doing, apiErr.StatusCode, leverMessage(apiErr)))
	case isAPI:
		return failure(fmt.Sprintf("Lever answered status %d while %s%s.", apiErr.StatusCode, doing, leverMessage(apiErr)))
	case errors.Is(err, lever.ErrAccessRevoked):
		return failure(fmt.Sprintf("Lever no longer accepts this account's credentials (%s). Connect the account again.", doing))
	default:
		return failure(fmt.Sprintf("Could not reach Lever while %s. Try again in a moment; the details are in the server log.", doing))
	}
}

func leverMessage(e *lever.APIError) string {
	if e.Message == "" {
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
