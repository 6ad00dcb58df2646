package workflows

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/assessbridge/assessbridge/activities"
	"github.com/assessbridge/assessbridge/workflows/rating"
)

func fp(v float64) *float64 { return &v }

// recorder keeps what the mocked activities were asked to do, as a recruiter would see it in Lever.
type recorder struct {
	mu        sync.Mutex
	adds      [][]string // AddTags calls that succeeded, in order
	removes   [][]string // RemoveTags calls that succeeded, in order
	notes     []activities.NoteInput
	feedback  []activities.FeedbackInput
	invites   []activities.InviteInput
	cancelled []string
	// comp is what CompletionSettings returns; stage what CurrentStage returns.
	comp     activities.Completion
	stage    activities.StageState
	moves    []string
	archives []string
	reports  []activities.ReportInput
	// tagErr, when set, decides the error of the n-th AddTags call (1-based).
	tagErr   func(n int) error
	tagCalls int
}

func newEnv(t *testing.T, res activities.Resolution, resErr error) (*testsuite.TestWorkflowEnvironment, *recorder) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: WorkflowID(testInput.AccountID, testInput.OpportunityID)})
	startTime = env.Now()
	env.RegisterWorkflowWithOptions(CandidateAssessment, workflowRegisterOptions())
	env.RegisterActivity(&activities.Activities{})
	rec := &recorder{}
	env.OnActivity(a.Resolve, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.ResolveInput) (activities.Resolution, error) {
		return res, resErr
	})
	env.OnActivity(a.Invite, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.InviteInput) (activities.InviteResult, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.invites = append(rec.invites, in)
		return activities.InviteResult{InvitationID: fmt.Sprintf("inv-%d", len(rec.invites))}, nil
	})
	env.OnActivity(a.AddTags, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.TagInput) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.tagCalls++
		if rec.tagErr != nil {
			if err := rec.tagErr(rec.tagCalls); err != nil {
				return err
			}
		}
		rec.adds = append(rec.adds, in.Tags)
		return nil
	})
	env.OnActivity(a.RemoveTags, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.TagInput) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.removes = append(rec.removes, in.Tags)
		return nil
	})
	env.OnActivity(a.PostNote, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.NoteInput) (string, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.notes = append(rec.notes, in)
		return "note-1", nil
	})
	env.OnActivity(a.PostFeedback, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.FeedbackInput) (string, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.feedback = append(rec.feedback, in)
		return "fb-1", nil
	})
	env.OnActivity(a.CompletionSettings, mock.Anything, mock.Anything).Return(func(context.Context, activities.CompletionInput) (activities.Completion, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return rec.comp, nil
	})
	env.OnActivity(a.CurrentStage, mock.Anything, mock.Anything).Return(func(context.Context, activities.StageInput) (activities.StageState, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return rec.stage, nil
	})
	env.OnActivity(a.MoveStage, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.MoveInput) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.moves = append(rec.moves, in.StageID)
		rec.stage.StageID = in.StageID
		return nil
	})
	env.OnActivity(a.ArchiveCandidate, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.ArchiveInput) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.archives = append(rec.archives, in.ReasonID)
		return nil
	})
	env.OnActivity(a.AttachReport, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.ReportInput) (string, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.reports = append(rec.reports, in)
		return activities.ReportName(in.Title, in.Marker, ".pdf"), nil
	})
	env.OnActivity(a.CancelInvitation, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.CancelInput) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.cancelled = append(rec.cancelled, in.InvitationID)
		return nil
	})
	return env, rec
}

func resolved() activities.Resolution {
	return activities.Resolution{
		CandidateName: "Ada", CandidateEmail: "ada@example.com", PostingID: "post-1",
		AssessmentID: "as-1", AssessmentTitle: "Go Test", Source: "mapping", Bands: rating.DefaultBands(),
	}
}

// startTime is the test environment's clock at start (its default).
var startTime time.Time

var testInput = Input{AccountID: "acme", OpportunityID: "opp-1", TriggerStageID: "stage-assess"}

func signalAt(env *testsuite.TestWorkflowEnvironment, d time.Duration, name string, arg any) {
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(name, arg) }, d)
}

// tagStep is one tag step: the tags added, then those removed.
type tagStep struct{ Add, Remove []string }

// tags pairs the n-th AddTags with the n-th RemoveTags: each tag step runs one of each, and a
// step ends (both done) before the next begins.
func (r *recorder) tags() []tagStep {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]tagStep, max(len(r.adds), len(r.removes)))
	for i := range out {
		if i < len(r.adds) {
			out[i].Add = r.adds[i]
		}
		if i < len(r.removes) {
			out[i].Remove = r.removes[i]
		}
	}
	return out
}

func tagSteps(tags []tagStep) []string {
	var out []string
	for _, t := range tags {
		out = append(out, strings.Join(t.Add, ",")+" -["+strings.Join(t.Remove, ",")+"]")
	}
	return out
}

func TestHappyPath(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	signalAt(env, time.Hour, SignalStarted, StartedSignal{EventID: "e1"})
	signalAt(env, 2*time.Hour, SignalSubmitted, SubmittedSignal{EventID: "e2", Score: fp(42), MaxScore: fp(60), ReportURL: "https://platform.example/r/1"})
	env.ExecuteWorkflow(WorkflowName, testInput)

	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	var res Result
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Step != StepCompleted || res.Rating != 3 || res.RatingLabel != "Hire" {
		t.Errorf("result: got %+v, want completed with 3 Hire", res)
	}
	want := []string{
		"Go Test - Invited -[Go Test,Go Test - Started,Go Test - Submitted,Go Test - Cancelled,Go Test - Expired,Go Test - Flagged,Go Test - Passed,Go Test - Failed,Go Test - Extended]",
		"Go Test - Started -[Go Test,Go Test - Invited,Go Test - Submitted,Go Test - Cancelled,Go Test - Expired,Go Test - Flagged,Go Test - Passed,Go Test - Failed]",
		"Go Test - Submitted -[Go Test,Go Test - Invited,Go Test - Started,Go Test - Cancelled,Go Test - Expired,Go Test - Flagged,Go Test - Passed,Go Test - Failed]",
	}
	if got := tagSteps(rec.tags()); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tag steps: got %q, want %q", got, want)
	}
	st := queryStatus(t, env)
	if len(st.Audit) != 7 || st.Audit[0].Action != "read candidate from Lever" || st.Audit[6].Action != "post result note" {
		t.Errorf("audit: got %+v, want 7 entries from the Lever read to the note", st.Audit)
	}
	if len(rec.invites) != 1 || !strings.HasPrefix(rec.invites[0].IdempotencyKey, WorkflowID("acme", "opp-1")+"/") {
		t.Errorf("invites: got %+v, want one keyed by the workflow ID", rec.invites)
	}
	if len(rec.feedback) != 1 || rec.feedback[0].Rating != 3 || rec.feedback[0].RatingLabel != "Hire" {
		t.Fatalf("feedback: got %+v, want one with rating 3 Hire", rec.feedback)
	}
	if len(rec.notes) != 1 {
		t.Fatalf("notes: got %d, want 1", len(rec.notes))
	}
	note := rec.notes[0].Text
	for _, s := range []string{"42 of 60", "70%", "3 - Hire", "no integrity concerns", "https://platform.example/r/1"} {
		if !strings.Contains(note, s) {
			t.Errorf("note %q lacks %q", note, s)
		}
	}
	if rec.notes[0].Marker == "" || rec.notes[0].Marker != rec.feedback[0].Marker {
		t.Errorf("marker: note %q, feedback %q, want equal and set", rec.notes[0].Marker, rec.feedback[0].Marker)
	}
}

func TestSubmittedBeforeStarted(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	signalAt(env, time.Hour, SignalSubmitted, SubmittedSignal{Score: fp(80), MaxScore: fp(100), Flagged: true, Proctoring: "tab switched 5 times"})
	signalAt(env, 2*time.Hour, SignalStarted, StartedSignal{})
	env.ExecuteWorkflow(WorkflowName, testInput)

	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	want := []string{
		"Go Test - Invited -[Go Test,Go Test - Started,Go Test - Submitted,Go Test - Cancelled,Go Test - Expired,Go Test - Flagged,Go Test - Passed,Go Test - Failed,Go Test - Extended]",
		"Go Test - Submitted,Go Test - Flagged -[Go Test,Go Test - Invited,Go Test - Started,Go Test - Cancelled,Go Test - Expired,Go Test - Passed,Go Test - Failed]",
	}
	if got := tagSteps(rec.tags()); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tag steps: got %q, want %q", got, want)
	}
	if len(rec.feedback) != 1 || rec.feedback[0].Rating != 4 {
		t.Errorf("feedback: got %+v, want one with rating 4", rec.feedback)
	}
	if len(rec.notes) != 1 || !strings.Contains(rec.notes[0].Text, "FLAGGED: tab switched 5 times") {
		t.Errorf("note: got %+v, want the proctoring flag", rec.notes)
	}
}

func TestSignalsBeforeInvitationAndDuplicates(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	// Both arrive at once and twice; the first submitted wins.
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalStarted, StartedSignal{})
		env.SignalWorkflow(SignalSubmitted, SubmittedSignal{Score: fp(10), MaxScore: fp(100)})
		env.SignalWorkflow(SignalSubmitted, SubmittedSignal{Score: fp(99), MaxScore: fp(100)})
		env.SignalWorkflow(SignalStarted, StartedSignal{})
	}, time.Minute)
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if len(rec.feedback) != 1 || rec.feedback[0].Rating != 1 || len(rec.notes) != 1 {
		t.Errorf("got feedback %+v and %d notes, want one feedback rated 1 and one note", rec.feedback, len(rec.notes))
	}
}

func TestRatingErrorsPostNoteAndFail(t *testing.T) {
	tests := []struct {
		name       string
		score, max *float64
		want       string
	}{
		{"missing score", nil, fp(100), "missing"},
		{"above max", fp(120), fp(100), "out of range"},
		{"zero max", fp(0), fp(0), "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, rec := newEnv(t, resolved(), nil)
			signalAt(env, time.Hour, SignalSubmitted, SubmittedSignal{Score: tt.score, MaxScore: tt.max, ReportURL: "https://r"})
			env.ExecuteWorkflow(WorkflowName, testInput)
			err := env.GetWorkflowError()
			var appErr *temporal.ApplicationError
			if !errors.As(err, &appErr) || appErr.Type() != ErrTypeInvalidScore {
				t.Fatalf("workflow error: got %v, want %s", err, ErrTypeInvalidScore)
			}
			if len(rec.feedback) != 0 {
				t.Errorf("feedback: got %d, want none", len(rec.feedback))
			}
			if len(rec.notes) != 1 || !strings.Contains(rec.notes[0].Text, tt.want) || !strings.Contains(rec.notes[0].Text, "https://r") {
				t.Errorf("note: got %+v, want one explaining %q with the report link", rec.notes, tt.want)
			}
			if st := queryStatus(t, env); st.Step != StepInvalidScore {
				t.Errorf("status: got %q, want %q", st.Step, StepInvalidScore)
			}
		})
	}
}

func TestNoAssessment(t *testing.T) {
	res := resolved()
	res.AssessmentID, res.AssessmentTitle = "", ""
	env, rec := newEnv(t, res, nil)
	env.ExecuteWorkflow(WorkflowName, testInput)
	var appErr *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != ErrTypeNoAssessment {
		t.Fatalf("workflow error: got %v, want %s", err, ErrTypeNoAssessment)
	}
	if len(rec.invites)+len(rec.tags()) != 0 {
		t.Errorf("got %d invites and %d tag calls, want none", len(rec.invites), len(rec.tags()))
	}
	if st := queryStatus(t, env); st.Step != StepNoAssessment {
		t.Errorf("status: got %q, want %q", st.Step, StepNoAssessment)
	}
}

func TestPermanentResolveFailure(t *testing.T) {
	env, rec := newEnv(t, activities.Resolution{}, temporal.NewNonRetryableApplicationError("no email", activities.ErrTypeNoEmail, nil))
	env.ExecuteWorkflow(WorkflowName, testInput)
	var appErr *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != activities.ErrTypeNoEmail {
		t.Fatalf("workflow error: got %v, want %s", err, activities.ErrTypeNoEmail)
	}
	if len(rec.invites) != 0 {
		t.Errorf("invites: got %d, want 0", len(rec.invites))
	}
	if st := queryStatus(t, env); st.Step != StepFailed || st.LastError == "" {
		t.Errorf("status: got %+v, want failed with the error", st)
	}
}

func TestArchivedIsNotInvited(t *testing.T) {
	res := resolved()
	res.Archived = true
	env, rec := newEnv(t, res, nil)
	env.ExecuteWorkflow(WorkflowName, testInput)
	var canceled *temporal.CanceledError
	if err := env.GetWorkflowError(); !errors.As(err, &canceled) {
		t.Fatalf("workflow error: got %v, want cancelled", err)
	}
	if len(rec.invites) != 0 {
		t.Errorf("invites: got %d, want 0", len(rec.invites))
	}
}

func TestCancelSignalWithdrawsInvitation(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	signalAt(env, time.Hour, SignalStarted, StartedSignal{})
	signalAt(env, 2*time.Hour, SignalCancel, CancelSignal{Reason: "candidate archived"})
	env.ExecuteWorkflow(WorkflowName, testInput)
	var canceled *temporal.CanceledError
	if err := env.GetWorkflowError(); !errors.As(err, &canceled) {
		t.Fatalf("workflow error: got %v, want cancelled", err)
	}
	if len(rec.cancelled) != 1 || rec.cancelled[0] != "inv-1" {
		t.Errorf("cancelled invitations: got %v, want [inv-1]", rec.cancelled)
	}
	if len(rec.feedback)+len(rec.notes) != 0 {
		t.Errorf("results posted after cancel: %d feedback, %d notes", len(rec.feedback), len(rec.notes))
	}
}

func TestWorkflowCancellationWithdrawsInvitation(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	env.RegisterDelayedCallback(env.CancelWorkflow, time.Hour)
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); !temporal.IsCanceledError(err) {
		t.Fatalf("workflow error: got %v, want cancelled", err)
	}
	if len(rec.cancelled) != 1 {
		t.Errorf("cancelled invitations: got %v, want one", rec.cancelled)
	}
}

func TestStatusQueryWhileWaiting(t *testing.T) {
	env, _ := newEnv(t, resolved(), nil)
	var during Status
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryStatus)
		if err != nil {
			t.Errorf("query: %v", err)
			return
		}
		if err := v.Get(&during); err != nil {
			t.Error(err)
		}
	}, time.Hour)
	signalAt(env, 2*time.Hour, SignalSubmitted, SubmittedSignal{Score: fp(1), MaxScore: fp(1)})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if during.Step != StepInvited || during.AssessmentTitle != "Go Test" || during.InvitationID != "inv-1" {
		t.Errorf("status while waiting: got %+v, want invited for Go Test with inv-1", during)
	}
}

func queryStatus(t *testing.T, env *testsuite.TestWorkflowEnvironment) Status {
	t.Helper()
	v, err := env.QueryWorkflow(QueryStatus)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	var st Status
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWaitsWhileLeverIsDisconnected(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	// The first tag call finds Lever access revoked; later ones succeed.
	rec.tagErr = func(n int) error {
		if n == 1 {
			return temporal.NewNonRetryableApplicationError("revoked", activities.ErrTypeDisconnected, nil)
		}
		return nil
	}
	connected := false
	var checks int
	env.OnActivity(a.AccountConnected, mock.Anything, mock.Anything).Return(func(context.Context, string) (bool, error) {
		checks++
		return connected, nil
	})
	var during Status
	env.RegisterDelayedCallback(func() {
		during = queryStatusNoT(env)
		// A submitted arriving while disconnected is kept.
		env.SignalWorkflow(SignalSubmitted, SubmittedSignal{Score: fp(50), MaxScore: fp(100)})
	}, time.Hour)
	env.RegisterDelayedCallback(func() { connected = true; env.SignalWorkflow(SignalReconnected, nil) }, 3*time.Hour)
	env.ExecuteWorkflow(WorkflowName, testInput)

	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	if during.Step != StepLeverDisconnected || during.LastError == "" {
		t.Errorf("status while disconnected: got %+v, want %s with the reason", during, StepLeverDisconnected)
	}
	// Polled at 15 and 30 minutes… until the signal; then it carried on from the failed tag.
	if checks < 2 {
		t.Errorf("account checks: got %d, want polls and a check after the signal", checks)
	}
	if len(rec.feedback) != 1 || rec.feedback[0].Rating != 3 || len(rec.notes) != 1 {
		t.Errorf("got %d feedback, %d notes, want one each after reconnecting", len(rec.feedback), len(rec.notes))
	}
	if got := tagSteps(rec.tags()); len(got) != 2 {
		t.Errorf("tag steps after reconnecting: got %q, want Invited then Submitted", got)
	}
}

func TestCancelWhileDisconnected(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	rec.tagErr = func(int) error {
		return temporal.NewNonRetryableApplicationError("revoked", activities.ErrTypeDisconnected, nil)
	}
	env.OnActivity(a.AccountConnected, mock.Anything, mock.Anything).Return(false, nil)
	signalAt(env, 2*time.Hour, SignalCancel, CancelSignal{Reason: "candidate hired"})
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); !temporal.IsCanceledError(err) {
		t.Fatalf("workflow: got %v, want cancelled", err)
	}
	if len(rec.cancelled) != 1 {
		t.Errorf("cancelled invitations: got %v, want the one", rec.cancelled)
	}
}

func queryStatusNoT(env *testsuite.TestWorkflowEnvironment) Status {
	var st Status
	if v, err := env.QueryWorkflow(QueryStatus); err == nil {
		_ = v.Get(&st)
	}
	return st
}
