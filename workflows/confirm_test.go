package workflows

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/assessbridge/assessbridge/activities"
)

func TestRefusedDeliveryWritesNothing(t *testing.T) {
	for _, reason := range []string{StepNotInTriggerStage, StepNoSuchApplication} {
		t.Run(reason, func(t *testing.T) {
			res := resolved()
			res.Refused, res.RefusedWhy = reason, "Lever shows otherwise"
			env, rec := newEnv(t, res, nil)
			env.ExecuteWorkflow(WorkflowName, testInput)
			var canceled *temporal.CanceledError
			if err := env.GetWorkflowError(); !errors.As(err, &canceled) {
				t.Fatalf("workflow error: got %v, want cancelled (a later real stage change may start afresh)", err)
			}
			if n := len(rec.invites) + len(rec.tags()) + len(rec.notes) + len(rec.feedback); n != 0 {
				t.Errorf("got %d invitations and Lever writes, want none", n)
			}
			st := queryStatus(t, env)
			if st.Step != reason {
				t.Errorf("step: got %q, want %q", st.Step, reason)
			}
			if last := st.Audit[len(st.Audit)-1]; !strings.Contains(last.Action, "Lever shows otherwise") {
				t.Errorf("audit: got %+v, want the refusal last", st.Audit)
			}
		})
	}
}

// confirmEnv runs the Lever checks with CurrentStage answering state (or err).
func confirmEnv(t *testing.T, state activities.StageState, err error) (*testsuite.TestWorkflowEnvironment, *[]string, *[]CancelSignal) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(ConfirmCancel, workflowOptions(ConfirmCancelWorkflowName))
	env.RegisterWorkflowWithOptions(PurgeCandidate, workflowOptions(PurgeWorkflowName))
	env.RegisterActivity(&activities.Activities{})
	env.OnActivity(a.CurrentStage, mock.Anything, mock.Anything).Return(state, err)
	purged := &[]string{}
	env.OnActivity(a.DeleteCandidateHistory, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.PurgeInput) (int, error) {
		*purged = append(*purged, in.WorkflowID)
		return 1, nil
	})
	signalled := &[]CancelSignal{}
	env.OnSignalExternalWorkflow(mock.Anything, WorkflowID("acme", "opp-1"), "", SignalCancel, mock.Anything).Return(
		func(_, _, _, _ string, arg any) error {
			*signalled = append(*signalled, arg.(CancelSignal))
			return nil
		})
	return env, purged, signalled
}

func TestConfirmCancel(t *testing.T) {
	notFound := temporal.NewNonRetryableApplicationError("gone", activities.ErrTypeNotFound, nil)
	tests := []struct {
		name       string
		state      activities.StageState
		err        error
		wantSignal bool
	}{
		{"archived in Lever: cancel sent", activities.StageState{StageID: "s", Archived: true}, nil, true},
		{"active in Lever: nothing sent", activities.StageState{StageID: "s"}, nil, false},
		{"unknown to Lever: nothing sent", activities.StageState{}, notFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _, signalled := confirmEnv(t, tt.state, tt.err)
			sig := CancelSignal{Reason: "candidate archived in Lever", Kind: CancelArchived}
			env.ExecuteWorkflow(ConfirmCancelWorkflowName, ConfirmCancelInput{AccountID: "acme", OpportunityID: "opp-1", Signal: sig})
			err := env.GetWorkflowError()
			if tt.wantSignal {
				if err != nil || len(*signalled) != 1 || (*signalled)[0] != sig {
					t.Fatalf("got error %v and signals %+v, want the cancel sent once", err, *signalled)
				}
				return
			}
			var appErr *temporal.ApplicationError
			if !errors.As(err, &appErr) || appErr.Type() != ErrTypeNotConfirmed {
				t.Errorf("error: got %v, want %s", err, ErrTypeNotConfirmed)
			}
			if len(*signalled) != 0 {
				t.Errorf("signals: got %+v, want none", *signalled)
			}
		})
	}
}

func TestPurgeNeedsLeversWord(t *testing.T) {
	notFound := temporal.NewNonRetryableApplicationError("gone", activities.ErrTypeNotFound, nil)
	tests := []struct {
		name      string
		in        PurgeInput
		state     activities.StageState
		err       error
		wantPurge bool
	}{
		{"deleted in Lever", PurgeInput{AccountID: "acme", OpportunityID: "opp-1", IfDeletedInLever: true}, activities.StageState{}, notFound, true},
		{"still in Lever", PurgeInput{AccountID: "acme", OpportunityID: "opp-1", IfDeletedInLever: true}, activities.StageState{StageID: "s"}, nil, false},
		{"operator's purge", PurgeInput{AccountID: "acme", OpportunityID: "opp-1"}, activities.StageState{StageID: "s"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, purged, _ := confirmEnv(t, tt.state, tt.err)
			env.ExecuteWorkflow(PurgeWorkflowName, tt.in)
			err := env.GetWorkflowError()
			if tt.wantPurge {
				if err != nil || len(*purged) != 1 {
					t.Fatalf("got error %v and purges %v, want one purge", err, *purged)
				}
				return
			}
			var appErr *temporal.ApplicationError
			if !errors.As(err, &appErr) || appErr.Type() != ErrTypeNotConfirmed {
				t.Errorf("error: got %v, want %s", err, ErrTypeNotConfirmed)
			}
			if len(*purged) != 0 {
				t.Errorf("purges: got %v, want none", *purged)
			}
		})
	}
}
