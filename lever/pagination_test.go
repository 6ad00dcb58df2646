package lever_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestPaginationFollowed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{PageSize: 7, Rate: -1}, lever.WithLimiter(nil))
	for i := range 20 {
		if _, err := f.client.AddNote(ctx, oppID, lever.NewNote{Value: fmt.Sprintf("note %d", i)}, ""); err != nil {
			t.Fatalf("AddNote %d: got %v, want nil", i, err)
		}
	}
	notes, err := f.client.ListNotes(ctx, oppID)
	if err != nil {
		t.Fatalf("ListNotes: got %v, want nil", err)
	}
	if len(notes) != 20 {
		t.Fatalf("notes: got %d, want 20", len(notes))
	}
	for i, n := range notes {
		if want := fmt.Sprintf("note %d", i); n.Value != want || n.ID == "" || n.CreatedAt == 0 {
			t.Errorf("note %d: got %+v, want value %q with id and createdAt", i, n, want)
		}
	}
	if pages := f.route("GET /opportunities/:id/notes"); pages != 3 {
		t.Errorf("pages fetched: got %d, want 3 (7+7+6)", pages)
	}
}

// TestPaginationFullPages uses Lever's real page size: 150 notes come in two pages.
func TestPaginationFullPages(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{Rate: -1}, lever.WithLimiter(nil))
	for i := range 150 {
		if _, err := f.client.AddNote(ctx, oppID, lever.NewNote{Value: fmt.Sprint(i)}, ""); err != nil {
			t.Fatalf("AddNote %d: got %v, want nil", i, err)
		}
	}
	notes, err := f.client.ListNotes(ctx, oppID)
	if err != nil || len(notes) != 150 {
		t.Fatalf("ListNotes: got (%d notes, %v), want (150, nil)", len(notes), err)
	}
	if pages := f.route("GET /opportunities/:id/notes"); pages != 2 {
		t.Errorf("pages fetched: got %d, want 2", pages)
	}
}

func TestListsFollowPages(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{PageSize: 1, Rate: -1}, lever.WithLimiter(nil))
	createRatingTemplate(t, f)
	createRatingTemplate(t, f)
	templates, err := f.client.ListFeedbackTemplates(ctx)
	if err != nil || len(templates) != 2 {
		t.Fatalf("ListFeedbackTemplates: got (%d, %v), want (2, nil)", len(templates), err)
	}
	stages, err := f.client.ListStages(ctx)
	want := []lever.Stage{{ID: "stage-new", Text: "New lead"}, {ID: "stage-assess", Text: "Assessment"}}
	if err != nil || fmt.Sprint(stages) != fmt.Sprint(want) {
		t.Errorf("ListStages: got (%v, %v), want (%v, nil)", stages, err, want)
	}
	for range 3 {
		if _, err := f.client.AddFeedback(ctx, oppID, ratingFeedback(t, &templates[0], "2 - No Hire"), userID); err != nil {
			t.Fatalf("AddFeedback: got %v, want nil", err)
		}
	}
	fbs, err := f.client.ListFeedback(ctx, oppID)
	if err != nil || len(fbs) != 3 {
		t.Errorf("ListFeedback: got (%d, %v), want (3, nil)", len(fbs), err)
	}
}
