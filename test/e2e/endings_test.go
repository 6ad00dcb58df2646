package e2e

import (
	"context"
	"errors"
	"slices"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/assessment"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/workflows"
)

// TestOtherEndings: the endings no other test reaches, one candidate each on one stack (and a
// recorded history each for the replay test): a flagged submission, a score that cannot be
// rated, an operator's cancel, and a re-invite that the candidate then completes.
func TestOtherEndings(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	for _, id := range []string{"opp-fen", "opp-ina", "opp-oz", "opp-rae"} {
		s.lever.AddOpportunity(account, leversim.Opportunity{ID: id, Name: id, Emails: []string{id + "@example.com"},
			Tags: []string{assessmentName}, StageID: otherStage})
		mustDo(t, s.lever.MoveToStage(ctx, account, id, triggerStage))
	}
	invs := map[string]string{}
	for _, id := range []string{"opp-fen", "opp-ina", "opp-oz", "opp-rae"} {
		invs[id] = s.invitationFor(t, id).ID
		s.waitTag(t, id, assessmentName+" - Invited")
	}

	mustDo(t, s.platform.Submit(ctx, invs["opp-fen"], assessment.Result{Score: fp(70), MaxScore: fp(100),
		Proctoring: assessment.Proctoring{Flagged: true, Summary: "3 tab switches"}}))
	if res, err := s.result(t, "opp-fen"); err != nil || res.Step != workflows.StepCompleted {
		t.Errorf("flagged: got %+v, %v; want completed", res, err)
	}
	snap, _ := s.lever.Snapshot(account, "opp-fen")
	if want := []string{assessmentName + " - Submitted", assessmentName + " - Flagged"}; !slices.Equal(snap.Tags, want) {
		t.Errorf("flagged tags: got %q, want %q", snap.Tags, want)
	}
	s.recordHistory(t, "opp-fen", "journey_flagged.json")

	mustDo(t, s.platform.Submit(ctx, invs["opp-ina"], assessment.Result{Score: fp(150), MaxScore: fp(100)}))
	var appErr *temporal.ApplicationError
	if _, err := s.result(t, "opp-ina"); !errors.As(err, &appErr) || appErr.Type() != workflows.ErrTypeInvalidScore {
		t.Errorf("invalid score: got %v, want %s", err, workflows.ErrTypeInvalidScore)
	}
	s.recordHistory(t, "opp-ina", "journey_invalid_score.json")

	mustDo(t, s.temporal.SignalWorkflow(ctx, workflows.WorkflowID(account, "opp-oz"), "", workflows.SignalCancel,
		workflows.CancelSignal{Reason: "operator cancels", Kind: workflows.CancelOperator}))
	var canceled *temporal.CanceledError
	if _, err := s.result(t, "opp-oz"); !errors.As(err, &canceled) {
		t.Errorf("operator cancel: got %v, want cancelled", err)
	}
	s.waitTag(t, "opp-oz", assessmentName+" - Cancelled")
	s.recordHistory(t, "opp-oz", "journey_cancelled.json")

	id := workflows.WorkflowID(account, "opp-rae")
	mustDo(t, s.temporal.SignalWorkflow(ctx, id, "", workflows.SignalReinvite, nil))
	var again string
	eventually(t, "a fresh invitation", func() bool {
		inv, ok := s.platform.InvitationByReference(id)
		again = inv.ID
		return ok && inv.ID != invs["opp-rae"] && inv.Status == "invited"
	})
	mustDo(t, s.platform.Submit(ctx, again, assessment.Result{Score: fp(80), MaxScore: fp(100)}))
	if res, err := s.result(t, "opp-rae"); err != nil || res.Step != workflows.StepCompleted || res.InvitationID != again {
		t.Errorf("re-invited: got %+v, %v; want completed on invitation %s", res, err, again)
	}
	s.recordHistory(t, "opp-rae", "journey_reinvited.json")
}
