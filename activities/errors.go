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

// leverErr classifies a Lever client error for Temporal's retry policy. Lever answering 401/403
// means the app's access was revoked: the account is marked disconnected, so every workflow of it
// stops calling Lever and waits, instead of each retrying on its own.
func (a *Activities) leverErr(ctx context.Context, accountID, op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, lever.ErrAccessRevoked):
		if serr := a.store.SetStatus(ctx, accountID, store.StatusDisconnected); serr != nil {
			return fmt.Errorf("%s: lever access revoked; marking the account disconnected failed: %w", op, serr)
		}
		activity.GetLogger(ctx).Warn("lever access revoked; account marked disconnected", "account", accountID)
		return temporal.NewNonRetryableApplicationError(op+": lever access revoked; waiting for the account to be reconnected", ErrTypeDisconnected, err)
	case lever.IsRetryable(err):
		return fmt.Errorf("%s: %w", op, err)
	default:
		return temporal.NewNonRetryableApplicationError(op+": lever refused the request", ErrTypeRejected, err)
	}
}

// platformErr classifies an assessment platform error the same way.
func platformErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case assessment.IsRetryable(err):
		return fmt.Errorf("%s: %w", op, err)
	default:
		return temporal.NewNonRetryableApplicationError(op+": assessment platform refused the request", ErrTypeRejected, err)
	}
}

// alreadyGone: the invitation is unknown, or finished and past cancelling.
func alreadyGone(err error) bool {
	return errors.Is(err, assessment.ErrNotFound) || errors.Is(err, assessment.ErrConflict)
}
