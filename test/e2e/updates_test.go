package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/workflows"
)

// update sends an operator update to the candidate's journey and waits for its answer.
func (s *stack) update(t *testing.T, opportunityID, name string, out any, args ...any) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.WorkflowID(account, opportunityID), UpdateName: name, Args: args,
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return err
	}
	return u.Get(ctx, out)
}

// wantRefused checks an update was refused with a message holding want, as the CLI shows it.
func wantRefused(t *testing.T, what string, err error, want string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || !strings.Contains(appErr.Message(), want) {
		t.Errorf("%s: got %v, want refused with %q", what, err, want)
	}
}

// TestOperatorUpdates: a journey at invited refuses a malformed extension (as typed on the CLI,
// `--input '{"By":"72h"}'`), a keep with no auto-archive pending, and answers a valid extension
// with the new deadline, a re-invite with the new invitation, and a cancel with its ending.
func TestOperatorUpdates(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddOpportunity(account, leversim.Opportunity{ID: "opp-upd", Name: "Upd", Emails: []string{"upd@example.com"},
		Tags: []string{assessmentName}, StageID: otherStage})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-upd", triggerStage))
	inv := s.invitationFor(t, "opp-upd")
	id := workflows.WorkflowID(account, "opp-upd")
	var before workflows.Status
	eventually(t, "step invited", func() bool {
		res, err := s.temporal.QueryWorkflow(ctx, id, "", workflows.QueryStatus)
		return err == nil && res.Get(&before) == nil && before.Step == workflows.StepInvited
	})

	var ext workflows.ExtendResult
	err := s.update(t, "opp-upd", workflows.UpdateExtend, &ext, json.RawMessage(`{"By":"72h"}`))
	wantRefused(t, "By as a string", err, "unable to decode the input")
	err = s.update(t, "opp-upd", workflows.UpdateExtend, &ext, workflows.ExtendSignal{By: 72})
	wantRefused(t, "By of 72ns", err, "By is in nanoseconds")
	err = s.update(t, "opp-upd", workflows.UpdateExtend, &ext, workflows.ExtendSignal{By: 60 * 24 * time.Hour})
	wantRefused(t, "By of 60 days", err, "more than the 720h0m0s allowed")
	err = s.update(t, "opp-upd", workflows.UpdateKeep, nil, workflows.KeepSignal{})
	wantRefused(t, "keep while invited", err, "no auto-archive is pending")

	mustDo(t, s.update(t, "opp-upd", workflows.UpdateExtend, &ext, workflows.ExtendSignal{By: 24 * time.Hour, Reason: "e2e"}))
	if want := before.ExpiresAt.Add(24 * time.Hour); !ext.ExpiresAt.Equal(want) || ext.Extensions != 1 || ext.InvitationID != inv.ID {
		t.Errorf("extension answered %+v, want %s, 1 extension, invitation %s", ext, want, inv.ID)
	}
	s.waitTag(t, "opp-upd", assessmentName+" - Extended")

	var re workflows.ReinviteResult
	mustDo(t, s.update(t, "opp-upd", workflows.UpdateReinvite, &re))
	if re.InvitationID == "" || re.InvitationID == inv.ID || re.Reinvites != 1 {
		t.Errorf("re-invite answered %+v, want a new invitation instead of %s", re, inv.ID)
	}

	var cancelled workflows.CancelResult
	mustDo(t, s.update(t, "opp-upd", workflows.UpdateCancel, &cancelled, workflows.CancelSignal{Reason: "e2e: operator cancel"}))
	if cancelled.Step != workflows.StepCancelled {
		t.Errorf("cancel answered %+v, want step %s", cancelled, workflows.StepCancelled)
	}
	if _, err := s.result(t, "opp-upd"); err == nil {
		t.Error("journey: ended without error, want cancelled")
	}
	s.recordHistory(t, "opp-upd", "journey_updated.json")
}
