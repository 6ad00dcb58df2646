package lever_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestCreateFeedbackTemplateBothShapes(t *testing.T) {
	for _, wrap := range []bool{false, true} {
		f := newFixture(t, leversim.Options{WrapTemplateCreate: wrap})
		tmpl := createRatingTemplate(t, f)
		score, ok := tmpl.ScoreSystemField()
		want := []string{"4 - Strong Hire", "3 - Hire", "2 - No Hire", "1 - Strong No Hire"}
		var got []string
		for _, o := range score.Options {
			got = append(got, o.Text)
		}
		if tmpl.ID == "" || tmpl.Text != "Assessment result" || !ok || score.ID == "" || !slices.Equal(got, want) {
			t.Errorf("wrap=%v: got %+v, want an id, the text and the score field with options %v", wrap, tmpl, want)
		}
		again, err := f.client.GetFeedbackTemplate(context.Background(), tmpl.ID)
		if err != nil || again.ID != tmpl.ID || len(again.Fields) != 2 {
			t.Errorf("wrap=%v: GetFeedbackTemplate got (%+v, %v), want the same template", wrap, again, err)
		}
	}
}

func TestFeedbackFlow(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	tmpl := createRatingTemplate(t, f)

	id, err := f.client.AddFeedback(ctx, oppID, ratingFeedback(t, tmpl, "3 - Hire"), userID)
	if err != nil || id == "" {
		t.Fatalf("AddFeedback: got (%q, %v), want an id", id, err)
	}
	st, _ := f.sim.Snapshot(acct, oppID)
	if len(st.Feedback) != 1 || st.Feedback[0].Rating != "3 - Hire" || st.Feedback[0].PerformAs != userID || st.Feedback[0].TemplateID != tmpl.ID {
		t.Errorf("stored feedback: got %+v, want rating 3 - Hire by %s on %s", st.Feedback, userID, tmpl.ID)
	}
	fbs, err := f.client.ListFeedback(ctx, oppID)
	if err != nil || len(fbs) != 1 {
		t.Fatalf("ListFeedback: got (%v, %v), want one form", fbs, err)
	}
	got, want := fbs[0].TextValues(), []string{"3 - Hire", "assessbridge:marker-7 score 80/100"}
	if fbs[0].ID != id || fbs[0].BaseTemplateID != tmpl.ID || !slices.Equal(got, want) {
		t.Errorf("listed feedback: got %+v with values %q, want id %s, template %s, values %q", fbs[0], got, id, tmpl.ID, want)
	}
}

func TestFeedbackRejections(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	tmpl := createRatingTemplate(t, f)
	tests := []struct {
		name      string
		fb        lever.NewFeedback
		performAs string
		wantSent  bool
	}{
		{"no perform_as fails before sending", ratingFeedback(t, tmpl, "3 - Hire"), "", false},
		{"unknown perform_as", ratingFeedback(t, tmpl, "3 - Hire"), "ghost", true},
		{"rating not an option text", ratingFeedback(t, tmpl, "Hire"), userID, true},
		{"unknown template", lever.NewFeedback{BaseTemplateID: "nope"}, userID, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.route("POST /opportunities/:id/feedback")
			_, err := f.client.AddFeedback(ctx, oppID, tt.fb, tt.performAs)
			if err == nil || lever.IsRetryable(err) {
				t.Fatalf("AddFeedback: got %v, want a non-retryable error", err)
			}
			sent := f.route("POST /opportunities/:id/feedback") - before
			if (sent == 1) != tt.wantSent || sent > 1 {
				t.Errorf("requests sent: got %d, want sent=%v (once at most)", sent, tt.wantSent)
			}
			if _, isAPI := errors.AsType[*lever.APIError](err); isAPI != tt.wantSent {
				t.Errorf("error %v: got APIError %v, want %v", err, isAPI, tt.wantSent)
			}
		})
	}
	if st, _ := f.sim.Snapshot(acct, oppID); len(st.Feedback) != 0 {
		t.Errorf("stored feedback: got %d, want 0", len(st.Feedback))
	}
}

func TestNotesAndTagsOnTheOpportunity(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	if err := f.client.AddTags(ctx, oppID, []string{"Backend - Invited"}, userID); err != nil {
		t.Fatalf("AddTags: got %v, want nil", err)
	}
	if err := f.client.RemoveTags(ctx, oppID, []string{"Go"}, userID); err != nil {
		t.Fatalf("RemoveTags: got %v, want nil", err)
	}
	if _, err := f.client.AddNote(ctx, oppID, lever.NewNote{Value: "Score 80/100", Score: 3, Secret: true}, userID); err != nil {
		t.Fatalf("AddNote: got %v, want nil", err)
	}
	if _, err := f.client.AddNote(ctx, oppID, lever.NewNote{Value: "anonymous"}, ""); err != nil {
		t.Fatalf("AddNote without perform_as: got %v, want nil", err)
	}
	st, _ := f.sim.Snapshot(acct, oppID)
	wantNotes := []leversim.NoteRecord{{Value: "Score 80/100", PerformAs: userID, Score: 3}, {Value: "anonymous"}}
	if !slices.Equal(st.Tags, []string{"Backend - Invited"}) || len(st.Notes) != 2 {
		t.Fatalf("state: got %+v, want tag Backend - Invited and 2 notes", st)
	}
	for i, w := range wantNotes {
		got := st.Notes[i]
		got.ID = ""
		if got != w {
			t.Errorf("note %d: got %+v, want %+v", i, got, w)
		}
	}
	for _, bad := range []lever.NewNote{{Value: ""}, {Value: "x", Score: 5}} {
		if _, err := f.client.AddNote(ctx, oppID, bad, ""); err == nil {
			t.Errorf("AddNote(%+v): got nil error, want a validation error", bad)
		}
	}
}

func TestReads(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	o, err := f.client.GetOpportunity(ctx, oppID)
	if err != nil {
		t.Fatalf("GetOpportunity: got %v, want nil", err)
	}
	if o.ID != oppID || o.Name != "Casey Candidate" || o.StageID != "stage-new" || o.OwnerID != userID ||
		o.Archived != nil || !slices.Equal(o.PostingIDs(), []string{postingID}) || o.ShowURL == "" || o.Contact == "" {
		t.Errorf("opportunity: got %+v, want the seeded one with posting %s", o, postingID)
	}
	p, err := f.client.GetPosting(ctx, postingID)
	if err != nil || p.Text != "Backend Engineer" || !slices.Equal(p.Tags, []string{"asmt-42"}) || p.OwnerID != userID {
		t.Errorf("GetPosting: got (%+v, %v), want the seeded posting", p, err)
	}
	u, err := f.client.FindUserByEmail(ctx, "Recruiter@Example.com")
	if err != nil || u.ID != userID {
		t.Errorf("FindUserByEmail: got (%+v, %v), want %s", u, err, userID)
	}
	_, err = f.client.FindUserByEmail(ctx, "nobody@example.com")
	if !errors.Is(err, lever.ErrNotFound) {
		t.Errorf("FindUserByEmail(unknown): got %v, want ErrNotFound", err)
	}
	if err != nil && strings.Contains(err.Error(), "nobody") {
		t.Errorf("error %q: got the email, want it left out", err)
	}
}
