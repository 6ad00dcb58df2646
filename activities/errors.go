package activities

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
)

// ErrTypeAccessRevoked marks Lever 401/403 answers. It stays retryable: the account is
// reconnected by an admin and the workflow carries on where it stopped.
const ErrTypeAccessRevoked = "LeverAccessRevoked"

// ErrTypeRejected marks a request Lever or the platform refused as invalid (4xx): retrying the
// same request cannot succeed.
const ErrTypeRejected = "Rejected"

func permanent(errType, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), errType, nil)
}

// leverErr classifies a Lever client error for Temporal's retry policy.
func leverErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, lever.ErrAccessRevoked):
		return temporal.NewApplicationError(op+": lever access revoked; waiting for the account to be reconnected", ErrTypeAccessRevoked, err)
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
