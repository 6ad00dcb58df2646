package activities

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
)

// TestGaveUpIsRetried: a request our side ended (cancelled context, deadline) is not Lever or
// the platform refusing it: the activity must be retried, never fail the journey. Found by make
// chaos: a cancelled attempt failed three journeys as "Rejected".
func TestGaveUpIsRetried(t *testing.T) {
	a := &Activities{}
	ctx := context.Background()
	for _, err := range []error{
		context.Canceled,
		fmt.Errorf("lever: POST /opportunities/o/notes: %w", context.Canceled),
		fmt.Errorf("lever: POST /opportunities/o/feedback: %w", context.DeadlineExceeded),
	} {
		for name, got := range map[string]error{
			"lever":    a.leverErr(ctx, "acme", "post note", err),
			"platform": platformErr("invite", err),
		} {
			var appErr *temporal.ApplicationError
			if errors.As(got, &appErr) && appErr.NonRetryable() {
				t.Errorf("%s: %v became non-retryable %q", name, err, appErr.Type())
			}
		}
	}
	// A real refusal stays permanent.
	refused := &lever.APIError{StatusCode: 400, Message: "bad"}
	var appErr *temporal.ApplicationError
	if !errors.As(a.leverErr(ctx, "acme", "post note", refused), &appErr) || !appErr.NonRetryable() {
		t.Error("a 400 from Lever is no longer permanent")
	}
	if !errors.As(platformErr("invite", &assessment.APIError{StatusCode: 422}), &appErr) || !appErr.NonRetryable() {
		t.Error("a 422 from the platform is no longer permanent")
	}
}
