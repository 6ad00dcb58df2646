package lever_test

import (
	"context"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
)

// createRatingTemplate creates a template with a score-system and a text field.
func createRatingTemplate(t *testing.T, f *fixture) *lever.FeedbackTemplate {
	t.Helper()
	tmpl, err := f.client.CreateFeedbackTemplate(context.Background(), lever.NewFeedbackTemplate{
		Text:         "Assessment result",
		Instructions: "Filled in by assessbridge",
		Fields: []lever.NewTemplateField{
			{Type: "score-system", Text: "Rating", Required: true},
			{Type: "textarea", Text: "Summary", Required: true},
		},
	}, "")
	if err != nil {
		t.Fatalf("CreateFeedbackTemplate: got %v, want nil", err)
	}
	return tmpl
}

// ratingFeedback answers tmpl with rating and a marked summary.
func ratingFeedback(t *testing.T, tmpl *lever.FeedbackTemplate, rating string) lever.NewFeedback {
	t.Helper()
	score, ok := tmpl.ScoreSystemField()
	if !ok {
		t.Fatalf("ScoreSystemField: got none, want one")
	}
	fb := lever.NewFeedback{BaseTemplateID: tmpl.ID, FieldValues: []lever.FieldValue{{ID: score.ID, Value: rating}}}
	for _, fld := range tmpl.Fields {
		if fld.Type == "textarea" {
			fb.FieldValues = append(fb.FieldValues, lever.FieldValue{ID: fld.ID, Value: "assessbridge:marker-7 score 80/100"})
		}
	}
	return fb
}
