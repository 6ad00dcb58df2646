package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/activity"

	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// ErrTypeRejected marks a request Lever or the platform refused as invalid (4xx): retrying the
// same request cannot succeed.
const ErrTypeRejected = "Rejected"

func permanent(errType, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), errType, nil)
}

// ErrTypeDisconnected: the account cannot call Lever until an admin reconnects it (revoked in
// Lever, disconnected on the admin page, or no credentials). The workflow waits for that.
const ErrTypeDisconnected = "LeverDisconnected"

// ErrTypeMissingScope: Lever refused the call with 403 because the account's grant lacks the
// scope it needs (an account connected before assessbridge asked for that scope, or an API key
// without that permission). The account stays connected and its other calls keep working; the
// scope is recorded for the admin page, and reconnecting the account grants it. Retrying does
// not help until then.
const ErrTypeMissingScope = "LeverMissingScope"

// leverErr classifies a Lever client error for Temporal's retry policy. ErrAccessRevoked (a 401
// that a token refresh did not cure, or a refused refresh) means the app's access was revoked:
// the account is marked disconnected, so every workflow of it stops calling Lever and waits,
// instead of each retrying on its own. A 403 (ErrMissingScope) only fails this call.
func (a *Activities) leverErr(ctx context.Context, accountID, op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, lever.ErrAccessRevoked):
		if serr := a.store.SetStatus(ctx, accountID, store.StatusDisconnected); serr != nil {
			return fmt.Errorf("%s: lever access revoked; marking the account disconnected failed: %w", op, serr)
		}
		activity.GetLogger(ctx).Warn("lever access revoked; account marked disconnected", "account", accountID)
		return temporal.NewNonRetryableApplicationError(op+": lever access revoked; waiting for the account to be reconnected", ErrTypeDisconnected, failureCause(err))
	case errors.Is(err, lever.ErrMissingScope):
		return a.missingScope(ctx, accountID, op, err)
	case gaveUp(err):
		return fmt.Errorf("%s: %w", op, err)
	case lever.IsRetryable(err):
		return fmt.Errorf("%s: %w", op, failureCause(err))
	default:
		return temporal.NewNonRetryableApplicationError(op+": lever refused the request", ErrTypeRejected, failureCause(err))
	}
}

// missingScope records the scope a 403 names for the admin page and fails the call for good.
// A failed record is retried: the next attempt meets the same 403 and records it then.
func (a *Activities) missingScope(ctx context.Context, accountID, op string, err error) error {
	scope, _ := lever.MissingScope(err)
	if scope == "" {
		return temporal.NewNonRetryableApplicationError(op+": Lever refused the request (403): "+
			"reconnect the account in the admin page to grant the permission it needs", ErrTypeMissingScope, failureCause(err))
	}
	if serr := a.store.AddMissingScope(ctx, accountID, scope); serr != nil {
		return fmt.Errorf("%s: lever did not grant %s; recording it for the admin page failed: %w", op, scope, serr)
	}
	activity.GetLogger(ctx).Warn("lever did not grant a scope; recorded for the admin page", "account", accountID, "scope", scope)
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf("%s: Lever did not grant %s: reconnect the account in the admin page to grant %s",
		op, scope, scope), ErrTypeMissingScope, failureCause(err))
}

// platformErr classifies an assessment platform error the same way.
func platformErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case gaveUp(err):
		return fmt.Errorf("%s: %w", op, err)
	case assessment.IsRetryable(err):
		return fmt.Errorf("%s: %w", op, failureCause(err))
	default:
		return temporal.NewNonRetryableApplicationError(op+": assessment platform refused the request", ErrTypeRejected, failureCause(err))
	}
}

// gaveUp: our side ended the request (the attempt's context was cancelled or ran out: a worker
// stopping, a missed heartbeat, the attempt's timeout), so Lever or the platform refused
// nothing, and the next attempt must be allowed.
func gaveUp(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// failureCause is err as it may appear in a failure: Temporal keeps failure messages in
// plaintext, and Lever's or the platform's own message can quote what we sent (a name, an
// email, a note's text), so it is left out; the request, status and code remain.
func failureCause(err error) error {
	if apiErr, ok := errors.AsType[*lever.APIError](err); ok {
		quiet := *apiErr
		quiet.Message = ""
		return errors.New(quiet.Error())
	}
	if apiErr, ok := errors.AsType[*assessment.APIError](err); ok {
		quiet := *apiErr
		quiet.Message = ""
		return errors.New(quiet.Error())
	}
	return err
}

// alreadyGone: the invitation is unknown, or finished and past cancelling.
func alreadyGone(err error) bool {
	return errors.Is(err, assessment.ErrNotFound) || errors.Is(err, assessment.ErrConflict)
}
