package e2e

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/assessment"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

func fp(v float64) *float64 { return &v }

// TestJourney: a recruiter moves a candidate tagged with the assessment's title into the trigger
// stage; the candidate starts and submits; Lever ends up with exactly the Submitted tag, one note
// and one feedback form rated from the score. Duplicate webhooks change nothing.
func TestJourney(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddOpportunity(account, leversim.Opportunity{
		ID: "opp-ada", Name: "Ada Lovelace", Emails: []string{"ada@example.com"},
		Tags: []string{"Referral", assessmentName}, StageID: otherStage, PostingID: "post-backend",
	})

	// Moves into a stage that is not a trigger start nothing.
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-ada", otherStage))
	// The trigger stage, delivered twice as Lever may do.
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-ada", triggerStage))
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-ada", triggerStage))

	inv := s.invitationFor(t, "opp-ada")
	if inv.Candidate.Email != "ada@example.com" || inv.AssessmentID != assessmentID {
		t.Errorf("invitation: got %s for %s, want the candidate's email for %s", inv.AssessmentID, inv.Candidate.Email, assessmentID)
	}
	s.waitTag(t, "opp-ada", assessmentName+" - Invited")

	mustDo(t, s.platform.Start(ctx, inv.ID))
	s.waitTag(t, "opp-ada", assessmentName+" - Started")
	mustDo(t, s.platform.Start(ctx, inv.ID)) // a duplicated callback is harmless
	mustDo(t, s.platform.Submit(ctx, inv.ID, assessment.Result{
		Score: fp(42), MaxScore: fp(60), ReportURL: "https://platform.example/report/ada",
		Proctoring: assessment.Proctoring{Summary: "webcam on throughout"},
	}))

	res, err := s.result(t, "opp-ada")
	if err != nil {
		t.Fatalf("workflow: %v", err)
	}
	if res.Step != workflows.StepCompleted || res.Rating != 3 {
		t.Errorf("result: got %+v, want completed with rating 3", res)
	}

	snap, _ := s.lever.Snapshot(account, "opp-ada")
	gotTags := slices.Sorted(slices.Values(snap.Tags))
	if want := []string{assessmentName + " - Submitted", "Referral"}; !slices.Equal(gotTags, want) {
		t.Errorf("tags: got %q, want %q", gotTags, want)
	}
	if len(snap.Feedback) != 1 {
		t.Fatalf("feedback forms: got %d, want 1", len(snap.Feedback))
	}
	if fb := snap.Feedback[0]; fb.Rating != "3 - Hire" || fb.PerformAs != performAs {
		t.Errorf("feedback: got rating %q as %q, want %q as %q", fb.Rating, fb.PerformAs, "3 - Hire", performAs)
	}
	if len(snap.Notes) != 1 {
		t.Fatalf("notes: got %d, want 1", len(snap.Notes))
	}
	for _, want := range []string{"42 of 60", "70%", "3 - Hire", "webcam on throughout", "https://platform.example/report/ada"} {
		if !strings.Contains(snap.Notes[0].Value, want) {
			t.Errorf("note %q lacks %q", snap.Notes[0].Value, want)
		}
	}
	if n := len(s.platform.Invitations()); n != 1 {
		t.Errorf("invitations: got %d, want 1", n)
	}

	s.recordHistory(t, "opp-ada", "journey_started_submitted.json")

	// Moved out and back in after submitting: not invited again.
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-ada", otherStage))
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-ada", triggerStage))
	if n := len(s.platform.Invitations()); n != 1 {
		t.Errorf("invitations after re-entering the stage: got %d, want 1", n)
	}
	// A late callback for the finished journey is refused with 409 so the platform stops.
	status, err := s.platform.SendCallback(ctx, assessment.Callback{ID: "late", Event: assessment.EventStarted,
		InvitationID: inv.ID, Reference: workflows.WorkflowID(account, "opp-ada")})
	if err == nil && status != 409 {
		t.Errorf("late callback: got status %d, want 409", status)
	}
}

// TestNoteRetriedAfterLeverAccepted: Lever stores the note but the answer is lost (500 after
// applying, then a dropped connection on feedback). The activities retry and find their marker,
// so the candidate still has exactly one note and one feedback form.
func TestNoteRetriedAfterLeverAccepted(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddPosting(account, leversim.Posting{ID: "post-backend", Text: "Backend Engineer"})
	mustDo(t, s.store.MapPosting(ctx, account, "post-backend", assessmentID))
	s.lever.AddOpportunity(account, leversim.Opportunity{
		ID: "opp-bob", Name: "Bob", Emails: []string{"bob@example.com"}, StageID: otherStage, PostingID: "post-backend",
	})
	s.lever.InjectFault(leversim.Fault{Method: "POST", PathContains: "/notes", Status: 500, AfterApply: true, Times: 1})
	s.lever.InjectFault(leversim.Fault{Method: "POST", PathContains: "/feedback", AfterApply: true, DropConnection: true, Times: 1})

	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-bob", triggerStage))
	inv := s.invitationFor(t, "opp-bob")
	mustDo(t, s.platform.Submit(ctx, inv.ID, assessment.Result{Score: fp(90), MaxScore: fp(100), ReportURL: "https://r/bob"}))

	res, err := s.result(t, "opp-bob")
	if err != nil {
		t.Fatalf("workflow: %v", err)
	}
	if res.Rating != 4 {
		t.Errorf("rating: got %d, want 4", res.Rating)
	}
	snap, _ := s.lever.Snapshot(account, "opp-bob")
	if len(snap.Notes) != 1 || len(snap.Feedback) != 1 {
		t.Errorf("got %d notes and %d feedback forms, want 1 and 1", len(snap.Notes), len(snap.Feedback))
	}
	if want := []string{assessmentName + " - Submitted"}; !slices.Equal(snap.Tags, want) {
		t.Errorf("tags: got %q, want %q", snap.Tags, want)
	}
	s.recordHistory(t, "opp-bob", "journey_submitted_first_retried_writes.json")
	calls := s.lever.Calls(account)
	if calls.ByRoute["GET /opportunities/:id/notes"] == 0 {
		t.Errorf("the retried note activity did not look for its marker: calls %v", calls.ByRoute)
	}
}

// TestArchivedCandidateCancels: archiving in Lever while waiting withdraws the invitation.
func TestArchivedCandidateCancels(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddOpportunity(account, leversim.Opportunity{
		ID: "opp-cy", Name: "Cy", Emails: []string{"cy@example.com"}, Tags: []string{assessmentName}, StageID: otherStage,
	})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-cy", triggerStage))
	inv := s.invitationFor(t, "opp-cy")
	s.waitTag(t, "opp-cy", assessmentName+" - Invited")
	mustDo(t, s.lever.Archive(ctx, account, "opp-cy", "withdrew"))

	_, err := s.result(t, "opp-cy")
	var canceled *temporal.CanceledError
	if !errors.As(err, &canceled) {
		t.Fatalf("workflow: got %v, want cancelled", err)
	}
	s.recordHistory(t, "opp-cy", "journey_archived.json")
	if got, _ := s.platform.Invitation(inv.ID); got.Status != "cancelled" {
		t.Errorf("invitation status: got %q, want cancelled", got.Status)
	}
	snap, _ := s.lever.Snapshot(account, "opp-cy")
	if want := []string{assessmentName + " - Cancelled"}; !slices.Equal(snap.Tags, want) {
		t.Errorf("tags: got %q, want %q", snap.Tags, want)
	}
}

// TestNoAssessmentIsVisible: a candidate with nothing mapping them to an assessment is not invited
// and the workflow says why.
func TestNoAssessmentIsVisible(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddOpportunity(account, leversim.Opportunity{ID: "opp-dee", Name: "Dee", Emails: []string{"dee@example.com"}, StageID: otherStage})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-dee", triggerStage))
	_, err := s.result(t, "opp-dee")
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != workflows.ErrTypeNoAssessment {
		t.Fatalf("workflow: got %v, want %s", err, workflows.ErrTypeNoAssessment)
	}
	if n := len(s.platform.Invitations()); n != 0 {
		t.Errorf("invitations: got %d, want 0", n)
	}
}

// TestReminderAndExpiry: with the account's short timings, the candidate who never starts gets
// one reminder from the platform, then the invitation expires: withdrawn, tagged, noted.
func TestReminderAndExpiry(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.RemindAfter, a.ExpireAfter = 500*time.Millisecond, 2*time.Second
		return nil
	}))
	s.lever.AddOpportunity(account, leversim.Opportunity{
		ID: "opp-fay", Name: "Fay", Emails: []string{"fay@example.com"}, Tags: []string{assessmentName}, StageID: otherStage,
	})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-fay", triggerStage))
	inv := s.invitationFor(t, "opp-fay")

	_, err := s.result(t, "opp-fay")
	var canceled *temporal.CanceledError
	if !errors.As(err, &canceled) {
		t.Fatalf("workflow: got %v, want cancelled (expired)", err)
	}
	s.recordHistory(t, "opp-fay", "journey_expired.json")
	got, _ := s.platform.Invitation(inv.ID)
	if got.Reminders != 1 || got.Status != "cancelled" {
		t.Errorf("invitation: got %d reminders and status %q, want 1 and cancelled", got.Reminders, got.Status)
	}
	snap, _ := s.lever.Snapshot(account, "opp-fay")
	if want := []string{assessmentName + " - Expired"}; !slices.Equal(snap.Tags, want) {
		t.Errorf("tags: got %q, want %q", snap.Tags, want)
	}
	if len(snap.Notes) != 1 || !strings.Contains(snap.Notes[0].Value, "expired") || len(snap.Feedback) != 0 {
		t.Errorf("got %d notes (%v) and %d feedback, want one expiry note", len(snap.Notes), snap.Notes, len(snap.Feedback))
	}
	// Moved out of the stage and back: an expired journey may start again, with a new invitation.
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-fay", otherStage))
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-fay", triggerStage))
	eventually(t, "a second invitation", func() bool {
		again, ok := s.platform.InvitationByReference(workflows.WorkflowID(account, "opp-fay"))
		return ok && again.ID != inv.ID && again.Status == "invited"
	})
	// A late submission for the expired invitation is ignored by the new run.
	if _, err := s.platform.SendCallback(ctx, assessment.Callback{ID: "late", Event: assessment.EventSubmitted, InvitationID: inv.ID,
		Reference: workflows.WorkflowID(account, "opp-fay"), Result: &assessment.Result{Score: fp(1), MaxScore: fp(1)}}); err != nil {
		t.Fatal(err)
	}
	// The new run reaches "invited" and stays there: the old invitation's submission is ignored.
	var st workflows.Status
	eventually(t, "the new run to wait in invited", func() bool {
		v, err := s.temporal.QueryWorkflow(ctx, workflows.WorkflowID(account, "opp-fay"), "", workflows.QueryStatus)
		return err == nil && v.Get(&st) == nil && st.Step == workflows.StepInvited
	})
	if st.SubmittedAt != (time.Time{}) || st.Rating != 0 {
		t.Errorf("new run took the old invitation's submission: %+v", st)
	}
}

// TestReinvitePolicyAlways: with the account's policy "always", a candidate who completed and
// re-enters the trigger stage is invited again (new invitation, new results).
func TestReinvitePolicyAlways(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.ReinvitePolicy = store.ReinviteAlways
		return nil
	}))
	s.lever.AddOpportunity(account, leversim.Opportunity{
		ID: "opp-gus", Name: "Gus", Emails: []string{"gus@example.com"}, Tags: []string{assessmentName}, StageID: otherStage,
	})
	id := workflows.WorkflowID(account, "opp-gus")
	for round := 1; round <= 2; round++ {
		mustDo(t, s.lever.MoveToStage(ctx, account, "opp-gus", otherStage))
		mustDo(t, s.lever.MoveToStage(ctx, account, "opp-gus", triggerStage))
		var inv platformsim.Invitation
		eventually(t, fmt.Sprintf("invitation of round %d", round), func() bool {
			var ok bool
			inv, ok = s.platform.InvitationByReference(id)
			return ok && inv.Status == "invited"
		})
		mustDo(t, s.platform.Submit(ctx, inv.ID, assessment.Result{Score: fp(float64(20 * round)), MaxScore: fp(100)}))
		if _, err := s.result(t, "opp-gus"); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	n := 0
	for _, inv := range s.platform.Invitations() {
		if inv.Reference == id {
			n++
		}
	}
	snap, _ := s.lever.Snapshot(account, "opp-gus")
	if n != 2 || len(snap.Feedback) != 2 || len(snap.Notes) != 2 {
		t.Errorf("got %d invitations, %d feedback, %d notes; want 2 of each", n, len(snap.Feedback), len(snap.Notes))
	}
}

// TestDeletedCandidateIsPurged: a candidate deleted in Lever mid-journey has the invitation
// withdrawn and every trace of their journey (the workflow history holding their name, email and
// score) deleted from Temporal; nothing is tagged, since there is nothing left in Lever.
func TestDeletedCandidateIsPurged(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddOpportunity(account, leversim.Opportunity{
		ID: "opp-hal", Name: "Hal", Emails: []string{"hal@example.com"}, Tags: []string{assessmentName}, StageID: otherStage,
	})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-hal", triggerStage))
	inv := s.invitationFor(t, "opp-hal")
	s.waitTag(t, "opp-hal", assessmentName+" - Invited")
	mustDo(t, s.lever.Delete(ctx, account, "opp-hal"))

	var n int
	err := s.temporal.GetWorkflow(ctx, workflows.PurgeWorkflowID(account, "opp-hal"), "").Get(ctx, &n)
	if err != nil || n != 1 {
		t.Fatalf("purge: got %d runs deleted, %v; want 1", n, err)
	}
	// Temporal deletes the history in the background, shortly after it accepted the deletion.
	eventually(t, "the candidate's history to be deleted", func() bool {
		_, err := s.temporal.DescribeWorkflowExecution(ctx, workflows.WorkflowID(account, "opp-hal"), "")
		return err != nil
	})
	if got, _ := s.platform.Invitation(inv.ID); got.Status != "cancelled" {
		t.Errorf("invitation: got %q, want cancelled", got.Status)
	}
}
