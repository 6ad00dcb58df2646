package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

const (
	onsiteStage = "stage-onsite"
	nextStage   = "stage-next"
)

func pct(v float64) *float64 { return &v }

// submit invites the candidate (moved into the trigger stage), then submits score of 100.
func (s *stack) submit(t *testing.T, opportunityID string, score float64, beforeSubmit func()) {
	t.Helper()
	ctx := context.Background()
	mustDo(t, s.lever.MoveToStage(ctx, account, opportunityID, triggerStage))
	inv := s.invitationFor(t, opportunityID)
	s.waitTag(t, opportunityID, assessmentName+" - Invited")
	if beforeSubmit != nil {
		beforeSubmit()
	}
	mustDo(t, s.platform.Submit(ctx, inv.ID, assessment.Result{Score: fp(score), MaxScore: fp(100), ReportURL: "https://platform.example/r"}))
}

// TestCompletionSettings: pass/fail tags against the threshold, the move to the pass or the
// fallback stage, the report file attached once, and no move for a candidate a person moved.
func TestCompletionSettings(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddStage(account, onsiteStage, "Onsite")
	s.lever.AddStage(account, nextStage, "Review")
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.PassThreshold, a.PassStageID, a.CompletionStageID, a.UploadReport = pct(60), onsiteStage, nextStage, true
		return nil
	}))
	cases := []struct {
		id, name   string
		score      float64
		movedByHR  bool
		wantTag    string
		wantStage  string
		wantInNote string
	}{
		{"opp-pass", "Pat", 80, false, "Passed", onsiteStage, "Moved to Onsite."},
		{"opp-fail", "Flo", 40, false, "Failed", nextStage, "Moved to Review."},
		{"opp-moved", "Mo", 90, true, "Passed", otherStage, "Not moved to Onsite: someone moved the candidate to Phone screen"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			s.lever.AddOpportunity(account, leversim.Opportunity{ID: tc.id, Name: tc.name, Emails: []string{tc.id + "@example.com"},
				Tags: []string{assessmentName}, StageID: otherStage})
			s.submit(t, tc.id, tc.score, func() {
				if tc.movedByHR {
					mustDo(t, s.lever.MoveToStage(ctx, account, tc.id, otherStage))
				}
			})
			res, err := s.result(t, tc.id)
			if err != nil || res.Step != workflows.StepCompleted {
				t.Fatalf("result: %+v, %v; want completed", res, err)
			}
			snap, _ := s.lever.Snapshot(account, tc.id)
			wantTags := []string{assessmentName + " - " + tc.wantTag, assessmentName + " - Submitted"}
			if got := slices.Sorted(slices.Values(snap.Tags)); !slices.Equal(got, wantTags) {
				t.Errorf("tags: got %q, want %q", got, wantTags)
			}
			if snap.StageID != tc.wantStage {
				t.Errorf("stage: got %s, want %s", snap.StageID, tc.wantStage)
			}
			if len(snap.Notes) != 1 || !strings.Contains(snap.Notes[0].Value, tc.wantInNote) {
				t.Fatalf("notes: got %v, want one saying %q", snap.Notes, tc.wantInNote)
			}
			if len(snap.Files) != 1 || !strings.Contains(snap.Files[0].Name, "(ref ") || snap.Files[0].PerformAs != performAs || snap.Files[0].Size == 0 {
				t.Errorf("files: got %+v, want the report once, uploaded as %s", snap.Files, performAs)
			}
			if !strings.Contains(snap.Notes[0].Value, "Report file attached to the profile: "+assessmentName+" report (ref ") {
				t.Errorf("note %q does not name the attached report", snap.Notes[0].Value)
			}
			s.recordHistory(t, tc.id, "journey_completion_"+strings.TrimPrefix(tc.id, "opp-")+".json")
		})
	}
}

// TestReportAttachedOnceWhenRetried: Lever stores the upload but the connection drops before
// the answer; the retried activity finds the file instead of uploading it again.
func TestReportAttachedOnceWhenRetried(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.UploadReport = true
		return nil
	}))
	s.lever.AddOpportunity(account, leversim.Opportunity{ID: "opp-rex", Name: "Rex", Emails: []string{"rex@example.com"},
		Tags: []string{assessmentName}, StageID: otherStage})
	s.lever.InjectFault(leversim.Fault{Method: "POST", PathContains: "/files", AfterApply: true, DropConnection: true})
	s.submit(t, "opp-rex", 70, nil)
	if _, err := s.result(t, "opp-rex"); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	snap, _ := s.lever.Snapshot(account, "opp-rex")
	if len(snap.Files) != 1 {
		t.Errorf("files: got %d, want 1 despite the retried upload", len(snap.Files))
	}
	if calls := s.lever.Calls(account).ByRoute; calls["GET /opportunities/:id/files"] == 0 {
		t.Errorf("the retry did not look for the earlier upload: %v", calls)
	}
}

// TestAutoArchiveWaitsAndCanBeStopped: a low score waits out the grace period in
// archive_pending; a recruiter's keep stops it and the candidate is never archived.
func TestAutoArchiveWaitsAndCanBeStopped(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.ArchiveBelow, a.ArchiveReasonID, a.ArchiveGrace = pct(50), leversim.ReasonUnderqualified, time.Hour
		return nil
	}))
	s.lever.AddOpportunity(account, leversim.Opportunity{ID: "opp-low", Name: "Lou", Emails: []string{"lou@example.com"},
		Tags: []string{assessmentName}, StageID: otherStage})
	s.submit(t, "opp-low", 30, nil)
	id := workflows.WorkflowID(account, "opp-low")
	var st workflows.Status
	eventually(t, "archive_pending", func() bool {
		v, err := s.temporal.QueryWorkflow(ctx, id, "", workflows.QueryStatus)
		return err == nil && v.Get(&st) == nil && st.Step == workflows.StepArchivePending
	})
	if st.ArchiveAt.Before(time.Now().Add(50 * time.Minute)) {
		t.Errorf("archive at %s, want about an hour from now", st.ArchiveAt)
	}
	snap, _ := s.lever.Snapshot(account, "opp-low")
	if len(snap.Notes) != 1 || !strings.Contains(snap.Notes[0].Value, "will be archived on") {
		t.Fatalf("notes: got %v, want the result note announcing the archive", snap.Notes)
	}
	mustDo(t, s.temporal.SignalWorkflow(ctx, id, "", workflows.SignalKeep, workflows.KeepSignal{Reason: "recruiter keeps"}))
	res, err := s.result(t, "opp-low")
	if err != nil || res.Step != workflows.StepCompleted {
		t.Fatalf("result: %+v, %v; want completed", res, err)
	}
	if snap, _ := s.lever.Snapshot(account, "opp-low"); snap.Archived {
		t.Error("candidate archived although kept")
	}
	s.recordHistory(t, "opp-low", "journey_archive_kept.json")
}

// TestInviteOnApplication: with the setting on, a new application for a mapped posting invites
// the candidate; with it off, the same webhook starts nothing.
func TestInviteOnApplication(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddWebhook(account, lever.EventApplicationCreated, s.webURL+"/webhooks/lever/"+account, webhookSecret)
	s.lever.AddPosting(account, leversim.Posting{ID: "post-go", Text: "Go engineer"})
	mustDo(t, s.store.MapPosting(ctx, account, "post-go", assessmentID))

	mustDo(t, s.lever.Apply(ctx, account, leversim.Opportunity{ID: "opp-off", Name: "Off", Emails: []string{"off@example.com"}, PostingID: "post-go", StageID: otherStage}))
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.InviteOnApplication = true
		return nil
	}))
	mustDo(t, s.lever.Apply(ctx, account, leversim.Opportunity{ID: "opp-app", Name: "App", Emails: []string{"app@example.com"}, PostingID: "post-go", StageID: otherStage}))
	inv := s.invitationFor(t, "opp-app")
	if inv.AssessmentID != assessmentID {
		t.Errorf("invited to %s, want %s", inv.AssessmentID, assessmentID)
	}
	s.waitTag(t, "opp-app", assessmentName+" - Invited")
	if _, ok := s.platform.InvitationByReference(workflows.WorkflowID(account, "opp-off")); ok {
		t.Error("an application before the setting was on invited the candidate")
	}
	// An application for a posting without an assessment ends quietly: no note, no tag.
	s.lever.AddPosting(account, leversim.Posting{ID: "post-none", Text: "No assessment"})
	mustDo(t, s.lever.Apply(ctx, account, leversim.Opportunity{ID: "opp-none", Name: "None", Emails: []string{"none@example.com"}, PostingID: "post-none", StageID: otherStage}))
	eventually(t, "the application without an assessment to end", func() bool {
		return s.temporal.GetWorkflow(ctx, workflows.WorkflowID(account, "opp-none"), "").Get(ctx, nil) != nil
	})
	if snap, _ := s.lever.Snapshot(account, "opp-none"); len(snap.Notes) != 0 || len(snap.Tags) != 0 {
		t.Errorf("application without an assessment: got %d notes and tags %q, want none", len(snap.Notes), snap.Tags)
	}
	// The stage-change path for the same candidate joins the running journey.
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-app", triggerStage))
	if n := len(s.platform.Invitations()); n != 1 {
		t.Errorf("invitations: got %d, want 1", n)
	}
}

// TestExtendDeadline: an extension pushes the expiry back and tags the candidate Extended.
func TestExtendDeadline(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.RemindAfter, a.ExpireAfter = time.Hour, 2*time.Second
		return nil
	}))
	s.lever.AddOpportunity(account, leversim.Opportunity{ID: "opp-ext", Name: "Ext", Emails: []string{"ext@example.com"},
		Tags: []string{assessmentName}, StageID: otherStage})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-ext", triggerStage))
	inv := s.invitationFor(t, "opp-ext")
	id := workflows.WorkflowID(account, "opp-ext")
	mustDo(t, s.temporal.SignalWorkflow(ctx, id, "", workflows.SignalExtend, workflows.ExtendSignal{By: time.Hour}))
	s.waitTag(t, "opp-ext", assessmentName+" - Extended")
	time.Sleep(2500 * time.Millisecond) // past the original deadline
	mustDo(t, s.platform.Submit(ctx, inv.ID, assessment.Result{Score: fp(90), MaxScore: fp(100)}))
	res, err := s.result(t, "opp-ext")
	if err != nil || res.Step != workflows.StepCompleted {
		t.Fatalf("result: %+v, %v; want completed after the extension", res, err)
	}
	snap, _ := s.lever.Snapshot(account, "opp-ext")
	if want := []string{assessmentName + " - Extended", assessmentName + " - Submitted"}; !slices.Equal(slices.Sorted(slices.Values(snap.Tags)), want) {
		t.Errorf("tags: got %q, want %q", snap.Tags, want)
	}
	s.recordHistory(t, "opp-ext", "journey_extended.json")
}
