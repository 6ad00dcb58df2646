package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/service"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// TestRevokedThenReconnected: a Lever Super Admin revokes the app while a candidate is mid-way.
// The account turns disconnected, the workflow waits (visible as lever_disconnected) keeping the
// submission it receives meanwhile, and finishes by itself once an admin reconnects.
func TestRevokedThenReconnected(t *testing.T) {
	s := newStack(t, withOAuth)
	ctx := context.Background()
	s.lever.AddOpportunity(account, leversim.Opportunity{
		ID: "opp-eve", Name: "Eve", Emails: []string{"eve@example.com"}, Tags: []string{assessmentName}, StageID: otherStage,
	})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-eve", triggerStage))
	inv := s.invitationFor(t, "opp-eve")
	s.waitTag(t, "opp-eve", assessmentName+" - Invited")

	s.lever.RevokeAuthorizations(account)
	mustDo(t, s.platform.Start(ctx, inv.ID))
	id := workflows.WorkflowID(account, "opp-eve")
	eventually(t, "workflow waiting for Lever", func() bool {
		v, err := s.temporal.QueryWorkflow(ctx, id, "", workflows.QueryStatus)
		if err != nil {
			return false
		}
		var st workflows.Status
		return v.Get(&st) == nil && st.Step == workflows.StepLeverDisconnected
	})
	if a, _ := s.store.Account(ctx, account); a.Status != store.StatusDisconnected {
		t.Errorf("account status: got %q, want %q", a.Status, store.StatusDisconnected)
	}
	// The candidate submits while Lever is unreachable for us: the platform's callback is taken.
	mustDo(t, s.platform.Submit(ctx, inv.ID, assessment.Result{Score: fp(30), MaxScore: fp(40), ReportURL: "https://r/eve"}))

	s.connect(t)
	eventually(t, "the waiting workflow to be listed", func() bool {
		n, err := service.ResumeAccount(ctx, s.temporal, tsrv.GetDefaultNamespace(), account)
		return err == nil && n == 1
	})
	res, err := s.result(t, "opp-eve")
	if err != nil {
		t.Fatalf("workflow: %v", err)
	}
	s.recordHistory(t, "opp-eve", "journey_disconnected_resumed.json")
	if res.Step != workflows.StepCompleted || res.Rating != 4 {
		t.Errorf("result: got %+v, want completed with rating 4 (75%%)", res)
	}
	snap, _ := s.lever.Snapshot(account, "opp-eve")
	if want := []string{assessmentName + " - Submitted"}; !slices.Equal(snap.Tags, want) {
		t.Errorf("tags: got %q, want %q", snap.Tags, want)
	}
	if len(snap.Notes) != 1 || len(snap.Feedback) != 1 {
		t.Errorf("got %d notes, %d feedback; want 1 and 1", len(snap.Notes), len(snap.Feedback))
	}
}
