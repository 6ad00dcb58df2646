package lever_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestListArchiveReasons(t *testing.T) {
	f := newFixture(t, leversim.Options{PageSize: 2})
	f.sim.AddArchiveReason(acct, lever.ArchiveReason{ID: "reason-x", Text: "Timing", Type: lever.ArchiveReasonNonHired})
	got, err := f.client.ListArchiveReasons(context.Background())
	if err != nil {
		t.Fatalf("ListArchiveReasons: got %v, want nil", err)
	}
	want := []lever.ArchiveReason{
		{ID: leversim.ReasonUnderqualified, Text: "Underqualified", Type: lever.ArchiveReasonNonHired},
		{ID: leversim.ReasonWithdrew, Text: "Withdrew", Type: lever.ArchiveReasonNonHired},
		{ID: leversim.ReasonHired, Text: "Hired", Type: lever.ArchiveReasonHired},
		{ID: "reason-x", Text: "Timing", Type: lever.ArchiveReasonNonHired},
	}
	if !slices.Equal(got, want) {
		t.Errorf("reasons: got %+v, want %+v", got, want)
	}
	if n := f.route("GET /archive_reasons"); n != 2 {
		t.Errorf("pages fetched: got %d, want 2", n)
	}
}

func TestArchiveOnTheSimulator(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	if err := f.client.Archive(ctx, oppID, leversim.ReasonUnderqualified, userID); err != nil {
		t.Fatalf("Archive: got %v, want nil", err)
	}
	o, err := f.client.GetOpportunity(ctx, oppID)
	if err != nil || o.Archived == nil || o.Archived.Reason != leversim.ReasonUnderqualified || o.Archived.ArchivedAt == 0 {
		t.Fatalf("GetOpportunity: got (%+v, %v), want archived as underqualified", o, err)
	}
	if err := f.client.Archive(ctx, oppID, leversim.ReasonUnderqualified, userID); err != nil {
		t.Errorf("Archive again: got %v, want nil", err)
	}
	err = f.client.Archive(ctx, oppID, "reason-nope", "")
	if apiErr, ok := errors.AsType[*lever.APIError](err); !ok || apiErr.StatusCode != http.StatusBadRequest || lever.IsRetryable(err) {
		t.Errorf("Archive(unknown reason): got %v, want a non-retryable 400", err)
	}
	if err := f.client.Archive(ctx, "opp-nope", leversim.ReasonWithdrew, ""); !errors.Is(err, lever.ErrNotFound) {
		t.Errorf("Archive(unknown opportunity): got %v, want ErrNotFound", err)
	}
	if st, _ := f.sim.Snapshot(acct, oppID); !st.Archived || st.ArchiveReason != leversim.ReasonUnderqualified {
		t.Errorf("state: got archived %v reason %q, want underqualified", st.Archived, st.ArchiveReason)
	}
}
