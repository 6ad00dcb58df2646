package workflows

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/activities"
)

func withTimings(remind, expire time.Duration) activities.Resolution {
	r := resolved()
	r.RemindAfter, r.ExpireAfter = remind, expire
	return r
}

func TestReminderThenExpiry(t *testing.T) {
	env, rec := newEnv(t, withTimings(72*time.Hour, 7*24*time.Hour), nil)
	var reminders []time.Duration
	env.OnActivity(a.Remind, mock.Anything, mock.Anything).Return(func(context.Context, activities.RemindInput) error {
		reminders = append(reminders, env.Now().Sub(startTime))
		return nil
	})
	env.ExecuteWorkflow(WorkflowName, testInput)

	if err := env.GetWorkflowError(); !temporal.IsCanceledError(err) {
		t.Fatalf("workflow: got %v, want cancelled (expired)", err)
	}
	if len(reminders) != 1 || reminders[0] < 72*time.Hour || reminders[0] > 73*time.Hour {
		t.Errorf("reminders: got %v, want one after 72h", reminders)
	}
	if len(rec.cancelled) != 1 {
		t.Errorf("withdrawn invitations: got %v, want the expired one", rec.cancelled)
	}
	last := rec.tags()[len(rec.tags())-1]
	if strings.Join(last.Add, ",") != "Go Test - Expired" {
		t.Errorf("last tag: got %v, want Go Test - Expired", last.Add)
	}
	if len(rec.notes) != 1 || !strings.Contains(rec.notes[0].Text, "expired") || len(rec.feedback) != 0 {
		t.Errorf("got notes %+v and %d feedback, want one expiry note and no feedback", rec.notes, len(rec.feedback))
	}
	if st := queryStatus(t, env); st.Step != StepExpired || st.RemindedAt.IsZero() {
		t.Errorf("status: got %+v, want expired after a reminder", st)
	}
}

func TestNoReminderOnceStarted(t *testing.T) {
	env, rec := newEnv(t, withTimings(72*time.Hour, 7*24*time.Hour), nil)
	env.OnActivity(a.Remind, mock.Anything, mock.Anything).Return(nil).Times(0)
	signalAt(env, time.Hour, SignalStarted, StartedSignal{})
	signalAt(env, 100*time.Hour, SignalSubmitted, SubmittedSignal{Score: fp(9), MaxScore: fp(10)})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	if len(rec.feedback) != 1 {
		t.Errorf("feedback: got %d, want 1", len(rec.feedback))
	}
}

func TestStartedButNotSubmittedExpires(t *testing.T) {
	env, rec := newEnv(t, withTimings(time.Hour, 2*time.Hour), nil)
	env.OnActivity(a.Remind, mock.Anything, mock.Anything).Return(nil)
	signalAt(env, 30*time.Minute, SignalStarted, StartedSignal{})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); !temporal.IsCanceledError(err) {
		t.Fatalf("workflow: got %v, want cancelled (expired)", err)
	}
	if len(rec.notes) != 1 || !strings.Contains(rec.notes[0].Text, "had started") {
		t.Errorf("expiry note: got %+v, want it to say the candidate had started", rec.notes)
	}
}

func TestReinvite(t *testing.T) {
	env, rec := newEnv(t, withTimings(72*time.Hour, 7*24*time.Hour), nil)
	env.OnActivity(a.Remind, mock.Anything, mock.Anything).Return(nil)
	// Started on the first invitation, then re-invited: a late signal about the old one is ignored.
	signalAt(env, time.Hour, SignalStarted, StartedSignal{InvitationID: "inv-1"})
	signalAt(env, 2*time.Hour, SignalReinvite, nil)
	signalAt(env, 3*time.Hour, SignalSubmitted, SubmittedSignal{InvitationID: "inv-1", Score: fp(1), MaxScore: fp(10)})
	signalAt(env, 6*24*time.Hour, SignalSubmitted, SubmittedSignal{InvitationID: "inv-1", Score: fp(8), MaxScore: fp(10)})
	signalAt(env, 7*24*time.Hour+time.Hour, SignalSubmitted, SubmittedSignal{InvitationID: "inv-2", Score: fp(9), MaxScore: fp(10)})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	if len(rec.invites) != 2 || !strings.HasSuffix(rec.invites[1].IdempotencyKey, "/reinvite-1") {
		t.Errorf("invites: got %+v, want the original and a re-invite with its own key", rec.invites)
	}
	if len(rec.cancelled) != 1 {
		t.Errorf("withdrawn: got %v, want the first invitation", rec.cancelled)
	}
	// The re-invite restarted the clock, so a submission an hour past the first deadline still counts.
	if len(rec.feedback) != 1 || rec.feedback[0].Rating != 4 {
		t.Errorf("feedback: got %+v, want one rated from the re-invited submission (90%%)", rec.feedback)
	}
	if st := queryStatus(t, env); st.Reinvites != 1 {
		t.Errorf("reinvites: got %d, want 1", st.Reinvites)
	}
}

func TestCancelKinds(t *testing.T) {
	for _, tt := range []struct {
		kind       string
		wantTagged bool
	}{{CancelArchived, true}, {CancelHired, true}, {CancelOperator, true}, {CancelDeleted, false}} {
		t.Run(tt.kind, func(t *testing.T) {
			env, rec := newEnv(t, resolved(), nil)
			signalAt(env, time.Hour, SignalCancel, CancelSignal{Reason: "x", Kind: tt.kind})
			env.ExecuteWorkflow(WorkflowName, testInput)
			if err := env.GetWorkflowError(); !temporal.IsCanceledError(err) {
				t.Fatalf("workflow: got %v, want cancelled", err)
			}
			last := rec.tags()[len(rec.tags())-1]
			tagged := strings.Join(last.Add, ",") == "Go Test - Cancelled"
			if tagged != tt.wantTagged {
				t.Errorf("Cancelled tag: got %v, want %v (last tag call %+v)", tagged, tt.wantTagged, last)
			}
		})
	}
}
