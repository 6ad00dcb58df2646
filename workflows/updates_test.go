package workflows

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/assessbridge/assessbridge/activities"
)

// updateOutcome is what an operator's update got: rejected, or accepted and then answered.
type updateOutcome struct {
	called   bool
	rejected error
	result   any
	err      error
}

// updateAt sends an update after d of workflow time and records its outcome.
func updateAt(env *testsuite.TestWorkflowEnvironment, d time.Duration, name, id string, args ...any) *updateOutcome {
	o := &updateOutcome{}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { o.called, o.rejected = true, err },
			OnComplete: func(res any, err error) { o.called, o.result, o.err = true, res, err },
		}, args...)
	}, d)
	return o
}

// wantRejected checks that the update was rejected by its validator with a message holding want.
func (o *updateOutcome) wantRejected(t *testing.T, what, errType, want string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	switch {
	case !o.called:
		t.Errorf("%s: never answered", what)
	case o.rejected == nil:
		t.Errorf("%s: accepted (result %+v, error %v), want rejected with %q", what, o.result, o.err, want)
	case !errors.As(o.rejected, &appErr) || appErr.Type() != errType || !strings.Contains(appErr.Message(), want):
		t.Errorf("%s: rejected with %v, want type %s and %q", what, o.rejected, errType, want)
	}
}

func (o *updateOutcome) wantAccepted(t *testing.T, what string) any {
	t.Helper()
	if !o.called || o.rejected != nil || o.err != nil {
		t.Fatalf("%s: called %v, rejected %v, error %v; want an answer", what, o.called, o.rejected, o.err)
	}
	return o.result
}

func TestUpdateExtend(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	var before Status
	env.RegisterDelayedCallback(func() { before = queryStatusNoT(env) }, 30*time.Minute)
	negative := updateAt(env, time.Hour, UpdateExtend, "neg", ExtendSignal{By: -time.Hour})
	tiny := updateAt(env, time.Hour, UpdateExtend, "tiny", ExtendSignal{By: 72}) // 72ns: hours meant
	huge := updateAt(env, time.Hour, UpdateExtend, "huge", ExtendSignal{By: 31 * 24 * time.Hour})
	keep := updateAt(env, time.Hour, UpdateKeep, "keep", KeepSignal{})
	ok := updateAt(env, 2*time.Hour, UpdateExtend, "ok", ExtendSignal{By: 48 * time.Hour, Reason: "candidate asked"})
	signalAt(env, 3*time.Hour, SignalExtend, ExtendSignal{}) // the signal still works beside the update
	def := updateAt(env, 4*time.Hour, UpdateExtend, "default", ExtendSignal{})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err == nil {
		t.Fatal("workflow: got nil error, want it to expire at the extended deadline")
	}
	negative.wantRejected(t, "negative extension", ErrTypeInvalidInput, "By must be positive")
	tiny.wantRejected(t, "72ns extension", ErrTypeInvalidInput, "nanoseconds")
	huge.wantRejected(t, "31-day extension", ErrTypeInvalidInput, "more than the 720h0m0s allowed")
	keep.wantRejected(t, "keep while invited", ErrTypeNotApplicable, "no auto-archive is pending")

	got, _ := ok.wantAccepted(t, "48h extension").(ExtendResult)
	if want := before.ExpiresAt.Add(48 * time.Hour); !got.ExpiresAt.Equal(want) || got.Extensions != 1 || got.InvitationID != "inv-1" {
		t.Errorf("48h extension answered %+v, want expiry %s, 1 extension, inv-1", got, want)
	}
	got, _ = def.wantAccepted(t, "default extension").(ExtendResult)
	if want := before.ExpiresAt.Add(48*time.Hour + 2*DefaultExtension); !got.ExpiresAt.Equal(want) || got.Extensions != 3 {
		t.Errorf("default extension answered %+v, want expiry %s after 3 extensions", got, want)
	}
	if st := queryStatus(t, env); st.Step != StepExpired || st.Extensions != 3 {
		t.Errorf("status: step %s, %d extensions; want %s after 3", st.Step, st.Extensions, StepExpired)
	}
	var extended int
	for _, add := range rec.adds {
		if strings.Join(add, ",") == "Go Test - Extended" {
			extended++
		}
	}
	if extended != 3 {
		t.Errorf("Extended tag additions: got %d, want 3", extended)
	}
}

func TestUpdateReinvite(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	first := updateAt(env, time.Hour, UpdateReinvite, "r1")
	signalAt(env, 2*time.Hour, SignalReinvite, nil) // the signal still works beside the update
	second := updateAt(env, 3*time.Hour, UpdateReinvite, "r2")
	signalAt(env, 4*time.Hour, SignalSubmitted, SubmittedSignal{InvitationID: "inv-4", Score: fp(9), MaxScore: fp(10)})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	got, _ := first.wantAccepted(t, "first re-invite").(ReinviteResult)
	if got.InvitationID != "inv-2" || got.Reinvites != 1 || !got.ExpiresAt.Equal(startTime.Add(time.Hour+activities.DefaultExpireAfter)) {
		t.Errorf("first re-invite answered %+v, want inv-2, its own 1-hour-later deadline", got)
	}
	got, _ = second.wantAccepted(t, "second re-invite").(ReinviteResult)
	if got.InvitationID != "inv-4" || got.Reinvites != 3 {
		t.Errorf("second re-invite answered %+v, want inv-4 (after the signal's inv-3)", got)
	}
	if len(rec.invites) != 4 || len(rec.feedback) != 1 {
		t.Errorf("invites %d, feedback %d; want 4 invitations and the result of the last", len(rec.invites), len(rec.feedback))
	}
}

// TestUpdateOvertaken: an extension accepted while Lever is disconnected, overtaken by the
// submission before the journey could apply it, is answered with why instead of hanging.
func TestUpdateOvertaken(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	rec.tagErr = func(n int) error { // the Started tag finds Lever disconnected
		if n == 2 {
			return temporal.NewNonRetryableApplicationError("revoked", activities.ErrTypeDisconnected, nil)
		}
		return nil
	}
	connected := false
	env.OnActivity(a.AccountConnected, mock.Anything, mock.Anything).Return(func(context.Context, string) (bool, error) {
		return connected, nil
	})
	signalAt(env, time.Hour, SignalStarted, StartedSignal{})
	o := updateAt(env, 2*time.Hour, UpdateExtend, "overtaken", ExtendSignal{By: 24 * time.Hour})
	signalAt(env, 150*time.Minute, SignalSubmitted, SubmittedSignal{Score: fp(9), MaxScore: fp(10)})
	env.RegisterDelayedCallback(func() { connected = true; env.SignalWorkflow(SignalReconnected, nil) }, 3*time.Hour)
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	var appErr *temporal.ApplicationError
	if !o.called || o.rejected != nil || !errors.As(o.err, &appErr) || appErr.Type() != ErrTypeOvertaken ||
		!strings.Contains(appErr.Message(), "the candidate submitted meanwhile") {
		t.Errorf("overtaken extension: %+v, want accepted, then an Overtaken error saying the candidate submitted", o)
	}
	if st := queryStatus(t, env); st.Extensions != 0 || st.Step != StepCompleted {
		t.Errorf("status: %d extensions at %s, want none and completed", st.Extensions, st.Step)
	}
}

func TestUpdateKeep(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	rec.comp = activities.Completion{ArchiveBelow: pctp(40), ArchiveReasonID: "r1", ArchiveGrace: 24 * time.Hour}
	rec.stage = activities.StageState{StageID: testInput.TriggerStageID}
	signalAt(env, time.Hour, SignalSubmitted, SubmittedSignal{Score: fp(3), MaxScore: fp(10)})
	extend := updateAt(env, 2*time.Hour, UpdateExtend, "extend", ExtendSignal{By: 48 * time.Hour})
	reinvite := updateAt(env, 2*time.Hour, UpdateReinvite, "reinvite")
	keep := updateAt(env, 3*time.Hour, UpdateKeep, "keep", KeepSignal{Reason: "promising"})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	extend.wantRejected(t, "extend after submission", ErrTypeNotApplicable, "the candidate has submitted")
	reinvite.wantRejected(t, "re-invite after submission", ErrTypeNotApplicable, "the candidate has submitted")
	got, _ := keep.wantAccepted(t, "keep").(KeepResult)
	if want := startTime.Add(25 * time.Hour); !got.ArchiveAt.Equal(want) {
		t.Errorf("keep answered %+v, want the archive of %s", got, want)
	}
	if len(rec.archives) != 0 {
		t.Errorf("archived %v, want kept", rec.archives)
	}
}

func TestUpdateCancel(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	badKind := updateAt(env, time.Hour, UpdateCancel, "bad", CancelSignal{Kind: "fired"})
	ok := updateAt(env, 2*time.Hour, UpdateCancel, "ok", CancelSignal{Reason: "withdrawn by the recruiter"})
	env.ExecuteWorkflow(WorkflowName, testInput)
	var canceled *temporal.CanceledError
	if err := env.GetWorkflowError(); !errors.As(err, &canceled) {
		t.Fatalf("workflow: got %v, want cancelled", err)
	}
	badKind.wantRejected(t, "unknown cancel kind", ErrTypeInvalidInput, `unknown Kind "fired"`)
	if got, _ := ok.wantAccepted(t, "cancel").(CancelResult); got.Step != StepCancelled {
		t.Errorf("cancel answered %+v, want step %s", got, StepCancelled)
	}
	if len(rec.cancelled) != 1 || rec.cancelled[0] != "inv-1" {
		t.Errorf("withdrawn: got %v, want inv-1", rec.cancelled)
	}
}

// TestUpdatesBeforeInvitation: while Lever is disconnected before anyone was invited, there is
// nothing to extend or re-invite, but the journey can be cancelled, and says how it ended.
func TestUpdatesBeforeInvitation(t *testing.T) {
	env, rec := newEnv(t, resolved(), temporal.NewNonRetryableApplicationError("revoked", activities.ErrTypeDisconnected, nil))
	env.OnActivity(a.AccountConnected, mock.Anything, mock.Anything).Return(false, nil)
	extend := updateAt(env, time.Hour, UpdateExtend, "extend", ExtendSignal{})
	reinvite := updateAt(env, time.Hour, UpdateReinvite, "reinvite")
	cancel := updateAt(env, 2*time.Hour, UpdateCancel, "cancel", CancelSignal{Reason: "wrong candidate"})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); !temporal.IsCanceledError(err) {
		t.Fatalf("workflow: got %v, want cancelled", err)
	}
	extend.wantRejected(t, "extend before the invitation", ErrTypeNotApplicable, "no invitation has been sent yet")
	reinvite.wantRejected(t, "re-invite before the invitation", ErrTypeNotApplicable, "no invitation has been sent yet")
	if got, _ := cancel.wantAccepted(t, "cancel").(CancelResult); got.Step != StepCancelled {
		t.Errorf("cancel answered %+v, want step %s", got, StepCancelled)
	}
	if len(rec.invites) != 0 || len(rec.cancelled) != 0 {
		t.Errorf("invites %v, withdrawn %v; want none", rec.invites, rec.cancelled)
	}
}
