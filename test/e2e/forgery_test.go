package e2e

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// writes counts the account's writes to Lever so far (every request but a GET).
func (s *stack) writes() int {
	n := 0
	for route, c := range s.lever.Calls(account).ByRoute {
		if !strings.HasPrefix(route, "GET ") {
			n += c
		}
	}
	return n
}

// signals lists the names of the signals the workflow received.
func (s *stack) signals(t *testing.T, id string) []string {
	t.Helper()
	var names []string
	it := s.temporal.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", id, err)
		}
		if sig := ev.GetWorkflowExecutionSignaledEventAttributes(); sig != nil {
			names = append(names, sig.GetSignalName())
		}
	}
	return names
}

// status asks the journey's latest run for its status (a closed run answers too).
func (s *stack) status(t *testing.T, opportunityID string) workflows.Status {
	t.Helper()
	v, err := s.temporal.QueryWorkflow(context.Background(), workflows.WorkflowID(account, opportunityID), "", workflows.QueryStatus)
	if err != nil {
		t.Fatalf("query %s: %v", opportunityID, err)
	}
	var st workflows.Status
	mustDo(t, v.Get(&st))
	return st
}

// notConfirmed waits for a check workflow to end refusing what the delivery claimed.
func (s *stack) notConfirmed(t *testing.T, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := s.temporal.GetWorkflow(ctx, id, "").Get(ctx, nil)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != workflows.ErrTypeNotConfirmed {
		t.Fatalf("%s: got %v, want %s", id, err, workflows.ErrTypeNotConfirmed)
	}
}

// TestForgedDeliveriesChangeNothing plays an attacker holding deliveries Lever really sent
// (signed over token+triggeredAt only) and, for the deeper layer, a token that never reached us.
// Nothing they send may start, signal, write to Lever or purge anything; Lever's own identical
// resend stays harmless.
func TestForgedDeliveriesChangeNothing(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddStage(account, "stage-new", "New lead")
	s.lever.AddWebhook(account, lever.EventHired, s.webURL+"/webhooks/lever/"+account, webhookSecret)
	s.lever.AddWebhook(account, lever.EventApplicationCreated, s.webURL+"/webhooks/lever/"+account, webhookSecret)
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.InviteOnApplication = true
		return nil
	}))
	// Jo is legitimately invited; Ivy was moved to a stage that is not a trigger.
	for _, o := range []leversim.Opportunity{
		{ID: "opp-jo", Name: "Jo", Emails: []string{"jo@example.com"}, Tags: []string{assessmentName}, StageID: otherStage},
		{ID: "opp-ivy", Name: "Ivy", Emails: []string{"ivy@example.com"}, Tags: []string{assessmentName}, StageID: "stage-new"},
	} {
		s.lever.AddOpportunity(account, o)
	}
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-jo", triggerStage))
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-ivy", otherStage))
	inv := s.invitationFor(t, "opp-jo")
	eventually(t, "Jo's two tag writes", func() bool { return s.writes() == 2 })
	joID := workflows.WorkflowID(account, "opp-jo")
	joRun, err := s.temporal.DescribeWorkflowExecution(ctx, joID, "")
	mustDo(t, err)

	joMove := s.deliveries.last(t, lever.EventStageChange, "opp-jo")
	ivyMove := s.deliveries.last(t, lever.EventStageChange, "opp-ivy")
	ping := signed(lever.EventStageChange, time.Now(), map[string]any{})
	if got := s.send(t, ping); got != http.StatusOK {
		t.Fatalf("Test ping: got %d, want 200", got)
	}

	replays := []struct {
		name     string
		delivery map[string]any
		want     int
	}{
		{"edited toStageId", edited(ivyMove, "", map[string]any{"toStageId": triggerStage}), http.StatusUnauthorized},
		{"swapped opportunityId", edited(joMove, "", map[string]any{"opportunityId": "opp-ivy", "candidateId": "opp-ivy"}), http.StatusUnauthorized},
		{"Test ping reused with stage-change data", edited(ping, "", map[string]any{"opportunityId": "opp-ivy", "toStageId": triggerStage}), http.StatusUnauthorized},
		{"forged candidateDeleted", edited(joMove, lever.EventDeleted, nil), http.StatusUnauthorized},
		{"forged archive of a live journey", edited(joMove, lever.EventArchiveChange, map[string]any{"toArchived": map[string]any{"reason": leversim.ReasonWithdrew, "archivedAt": time.Now().UnixMilli()}}), http.StatusUnauthorized},
		{"forged hire", edited(joMove, lever.EventHired, nil), http.StatusUnauthorized},
		{"identical resend", joMove, http.StatusOK},
		{"identical resend of an ignored delivery", ivyMove, http.StatusOK},
		{"resend after the window", signed(lever.EventStageChange, time.Now().Add(-25*time.Hour), map[string]any{"opportunityId": "opp-ivy", "toStageId": triggerStage}), http.StatusUnauthorized},
	}
	for _, tt := range replays {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.send(t, tt.delivery); got != tt.want {
				t.Errorf("status: got %d, want %d", got, tt.want)
			}
		})
	}

	// A token Lever sent that never reached us gets past the front door: then Lever's own state
	// decides, and Lever shows none of what these claim.
	fresh := []struct {
		name, event string
		data        map[string]any
		check       func(t *testing.T)
	}{
		{"stage change into a trigger stage Lever does not show", lever.EventStageChange,
			map[string]any{"opportunityId": "opp-ivy", "fromStageId": otherStage, "toStageId": triggerStage},
			func(t *testing.T) {
				_, err := s.result(t, "opp-ivy")
				var canceled *temporal.CanceledError
				if st := s.status(t, "opp-ivy"); !errors.As(err, &canceled) || st.Step != workflows.StepNotInTriggerStage {
					t.Errorf("Ivy's run: got %v at %q, want cancelled at %s", err, st.Step, workflows.StepNotInTriggerStage)
				}
			}},
		{"application Lever does not show", lever.EventApplicationCreated,
			map[string]any{"opportunityId": "opp-ivy", "applicationId": "application-forged"},
			func(t *testing.T) {
				eventually(t, "Ivy's second run to end", func() bool {
					return s.status(t, "opp-ivy").Step == workflows.StepNoSuchApplication
				})
			}},
		{"deletion of a candidate Lever still has", lever.EventDeleted, map[string]any{"opportunityId": "opp-jo"},
			func(t *testing.T) { s.notConfirmed(t, workflows.PurgeWorkflowID(account, "opp-jo")) }},
		{"archive of a candidate Lever shows active", lever.EventArchiveChange,
			map[string]any{"opportunityId": "opp-jo", "toArchived": map[string]any{"reason": leversim.ReasonWithdrew, "archivedAt": time.Now().UnixMilli()}},
			func(t *testing.T) { s.notConfirmed(t, workflows.ConfirmCancelWorkflowID(account, "opp-jo")) }},
	}
	for _, tt := range fresh {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.send(t, signed(tt.event, time.Now(), tt.data)); got < 200 || got > 299 {
				t.Fatalf("status: got %d, want 2xx (the signature is good)", got)
			}
			tt.check(t)
		})
	}

	// Nothing changed: Jo's journey runs on, unsignalled and unpurged, with its one invitation;
	// Ivy was never invited; Lever saw no write beyond Jo's two tag writes.
	desc, err := s.temporal.DescribeWorkflowExecution(ctx, joID, "")
	mustDo(t, err)
	if st := desc.GetWorkflowExecutionInfo().GetStatus(); st != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING ||
		desc.GetWorkflowExecutionInfo().GetExecution().GetRunId() != joRun.GetWorkflowExecutionInfo().GetExecution().GetRunId() {
		t.Errorf("Jo's journey: got %v run %s, want the same run still running", st, desc.GetWorkflowExecutionInfo().GetExecution().GetRunId())
	}
	if sigs := s.signals(t, joID); len(sigs) != 0 {
		t.Errorf("Jo's journey got signals %q, want none", sigs)
	}
	if got, _ := s.platform.Invitation(inv.ID); got.Status == "cancelled" {
		t.Error("Jo's invitation was withdrawn")
	}
	if n := len(s.platform.Invitations()); n != 1 {
		t.Errorf("invitations: got %d, want Jo's only", n)
	}
	if got := s.writes(); got != 2 {
		t.Errorf("Lever writes: got %d, want Jo's 2 tag writes only (%v)", got, s.lever.Calls(account).ByRoute)
	}
	if snap, _ := s.lever.Snapshot(account, "opp-ivy"); len(snap.Tags) != 1 || snap.Tags[0] != assessmentName {
		t.Errorf("Ivy's tags: got %q, want only %q", snap.Tags, assessmentName)
	}
}
