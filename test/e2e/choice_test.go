package e2e

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/activities"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

const (
	pythonID    = "as-py"
	pythonTitle = "Python"
)

// TestAssessmentChoice: each way of choosing an assessment, in its order, through a real
// journey: the platform gets the chosen one, and the status tag uses its catalogue title.
func TestAssessmentChoice(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.platform.AddAssessment(pythonID, pythonTitle)
	mustDo(t, s.store.PutAssessment(ctx, account, store.Assessment{ID: pythonID, Title: pythonTitle}))
	s.lever.AddPosting(account, leversim.Posting{ID: "post-title", Text: "Data", Tags: []string{"remote", " PYTHON"}})
	s.lever.AddPosting(account, leversim.Posting{ID: "post-both", Text: "Both", Tags: []string{"assessment:" + assessmentID, "python"}})
	s.lever.AddPosting(account, leversim.Posting{ID: "post-id", Text: "Id", Tags: []string{"assessment:" + pythonID}})
	s.lever.AddPosting(account, leversim.Posting{ID: "post-mapped", Text: "Mapped"})
	for _, p := range []string{"post-both", "post-id", "post-mapped"} {
		mustDo(t, s.store.MapPosting(ctx, account, p, assessmentID))
	}
	tests := []struct {
		opp, posting string
		tags         []string
		want         string
		wantTags     []string
	}{
		// A candidate tag differing in case from the title; it is replaced like the title.
		{"opp-case", "post-id", []string{"referral", "go TEST "}, assessmentID, []string{"referral", assessmentName + " - Invited"}},
		{"opp-posting-title", "post-title", nil, pythonID, []string{pythonTitle + " - Invited"}},
		{"opp-title-before-id", "post-both", nil, pythonID, []string{pythonTitle + " - Invited"}},
		{"opp-id-before-mapping", "post-id", nil, pythonID, []string{pythonTitle + " - Invited"}},
		{"opp-mapping", "post-mapped", nil, assessmentID, []string{assessmentName + " - Invited"}},
	}
	for _, tt := range tests {
		s.lever.AddOpportunity(account, leversim.Opportunity{ID: tt.opp, Name: "Cand " + tt.opp, Emails: []string{tt.opp + "@example.com"},
			Tags: tt.tags, StageID: otherStage, PostingID: tt.posting})
		mustDo(t, s.lever.MoveToStage(ctx, account, tt.opp, triggerStage))
	}
	for _, tt := range tests {
		t.Run(tt.opp, func(t *testing.T) {
			inv := s.invitationFor(t, tt.opp)
			if inv.AssessmentID != tt.want {
				t.Errorf("invited to %s, want %s", inv.AssessmentID, tt.want)
			}
			s.waitTag(t, tt.opp, tt.wantTags[len(tt.wantTags)-1])
			eventually(t, "tags of "+tt.opp, func() bool {
				snap, _ := s.lever.Snapshot(account, tt.opp)
				return slices.Equal(sorted(snap.Tags), sorted(tt.wantTags))
			})
		})
	}
}

// TestNoAssessmentToldInLever: a candidate entering the trigger stage with no assessment gets
// one note and the "Assessment - Not set" tag, even when Lever accepts the note but the answer is
// lost; once tagged with a title and moved in again, they are invited and the tag goes.
func TestNoAssessmentToldInLever(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddOpportunity(account, leversim.Opportunity{ID: "opp-nia", Name: "Nia", Emails: []string{"nia@example.com"}, StageID: otherStage})
	s.lever.InjectFault(leversim.Fault{Method: "POST", PathContains: "/notes", Status: 502, AfterApply: true})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-nia", triggerStage))

	_, err := s.result(t, "opp-nia")
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != workflows.ErrTypeNoAssessment {
		t.Fatalf("workflow: got %v, want %s", err, workflows.ErrTypeNoAssessment)
	}
	s.recordHistory(t, "opp-nia", "journey_no_assessment_told.json")
	snap, _ := s.lever.Snapshot(account, "opp-nia")
	if len(snap.Notes) != 1 {
		t.Fatalf("notes: got %d, want 1: %+v", len(snap.Notes), snap.Notes)
	}
	note := snap.Notes[0].Value
	for _, want := range []string{"No assessment was sent", "Tag the candidate with the assessment's title",
		"assessment:<assessment id>", "admin", activities.NotSetTag} {
		if !strings.Contains(note, want) {
			t.Errorf("note lacks %q:\n%s", want, note)
		}
	}
	if !slices.Equal(snap.Tags, []string{activities.NotSetTag}) {
		t.Errorf("tags: got %q, want %q", snap.Tags, activities.NotSetTag)
	}
	if n := len(s.platform.Invitations()); n != 0 {
		t.Errorf("invitations: got %d, want 0", n)
	}

	// The recruiter tags the candidate and moves them in again.
	addTag(t, s, "opp-nia", assessmentName)
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-nia", otherStage))
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-nia", triggerStage))
	s.invitationFor(t, "opp-nia")
	eventually(t, "the not-set tag removed", func() bool {
		snap, _ := s.lever.Snapshot(account, "opp-nia")
		return slices.Equal(snap.Tags, []string{assessmentName + " - Invited"})
	})
	if snap, _ := s.lever.Snapshot(account, "opp-nia"); len(snap.Notes) != 1 {
		t.Errorf("notes after the invitation: got %d, want still 1", len(snap.Notes))
	}
}

// TestNoAssessmentQuiet: an account that turned the notice off leaves Lever untouched, and an
// application for a posting without an assessment is silent whatever the setting.
func TestNoAssessmentQuiet(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	mustDo(t, s.store.UpdateAccount(ctx, account, func(a *store.Account) error {
		a.QuietNoAssessment = true
		return nil
	}))
	s.lever.AddOpportunity(account, leversim.Opportunity{ID: "opp-quiet", Name: "Quinn", Emails: []string{"q@example.com"}, StageID: otherStage})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-quiet", triggerStage))
	if _, err := s.result(t, "opp-quiet"); err == nil {
		t.Fatal("workflow succeeded without an assessment")
	}
	snap, _ := s.lever.Snapshot(account, "opp-quiet")
	if len(snap.Notes) != 0 || len(snap.Tags) != 0 {
		t.Errorf("quiet account: got notes %d and tags %q, want none", len(snap.Notes), snap.Tags)
	}
	writes := 0
	for route, n := range s.lever.Calls(account).ByRoute {
		if strings.HasPrefix(route, "POST") || strings.HasPrefix(route, "PUT") {
			writes += n
		}
	}
	if writes != 0 {
		t.Errorf("quiet account: got %d Lever writes, want 0: %v", writes, s.lever.Calls(account).ByRoute)
	}
}

// addTag adds a tag through the simulated Lever's API, as a recruiter's edit would.
func addTag(t *testing.T, s *stack, opportunityID, tag string) {
	t.Helper()
	req := httptest.NewRequest("POST", "/v1/opportunities/"+opportunityID+"/addTags", strings.NewReader(`{"tags":["`+tag+`"]}`))
	req.Header.Set("Authorization", "Bearer "+leverToken)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.lever.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK && rec.Code != http.StatusNoContent {
		t.Fatalf("add tag: got %d %s", rec.Code, rec.Body)
	}
}

func sorted(ss []string) []string { return slices.Sorted(slices.Values(ss)) }

// TestNamesInTheUI: the Web UI's list and detail page show who a journey is about: a static
// summary from the start, and current details naming the candidate, the assessment and the step.
func TestNamesInTheUI(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.lever.AddOpportunity(account, leversim.Opportunity{ID: "opp-uma", Name: "Uma Umbra", Emails: []string{"uma@example.com"},
		Tags: []string{assessmentName}, StageID: otherStage})
	mustDo(t, s.lever.MoveToStage(ctx, account, "opp-uma", triggerStage))
	s.invitationFor(t, "opp-uma")
	s.waitTag(t, "opp-uma", assessmentName+" - Invited")
	id := workflows.WorkflowID(account, "opp-uma")

	desc, err := s.temporal.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	var summary string
	mustDo(t, converter.GetDefaultDataConverter().FromPayload(desc.GetExecutionConfig().GetUserMetadata().GetSummary(), &summary))
	if want := "Candidate opp-uma of Lever account " + account; summary != want {
		t.Errorf("summary: got %q, want %q", summary, want)
	}
	desc, err = s.temporal.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	var name, leverURL string
	memo := desc.GetWorkflowExecutionInfo().GetMemo().GetFields()
	mustDo(t, converter.GetDefaultDataConverter().FromPayload(memo[workflows.MemoCandidateName], &name))
	mustDo(t, converter.GetDefaultDataConverter().FromPayload(memo[workflows.MemoLeverURL], &leverURL))
	if name != "Uma Umbra" || !strings.HasSuffix(leverURL, "opp-uma") {
		t.Errorf("memo: got name %q and Lever URL %q", name, leverURL)
	}
	v, err := s.temporal.QueryWorkflow(ctx, id, "", workflows.QueryStatus)
	mustDo(t, err)
	var st workflows.Status
	mustDo(t, v.Get(&st))
	if st.CandidateName != "Uma Umbra" || st.LeverURL != leverURL {
		t.Errorf("status: got name %q and Lever URL %q", st.CandidateName, st.LeverURL)
	}
	eventually(t, "current details naming the candidate", func() bool {
		v, err := s.temporal.QueryWorkflow(ctx, id, "", "__temporal_workflow_metadata")
		if err != nil {
			return false
		}
		var md sdkpb.WorkflowMetadata
		if err := v.Get(&md); err != nil {
			return false
		}
		d := md.GetCurrentDetails()
		return strings.Contains(d, "Uma Umbra") && strings.Contains(d, assessmentName) && strings.Contains(d, "Step: invited")
	})
}
