package lever

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// NewFeedback is a completed feedback form to add to an opportunity.
type NewFeedback struct {
	BaseTemplateID string       `json:"baseTemplateId"`
	FieldValues    []FieldValue `json:"fieldValues"`
}

// FieldValue answers one template field; for score-system, Value is an option text.
type FieldValue struct {
	ID    string `json:"id"`
	Value any    `json:"value"`
}

// Feedback is a submitted feedback form.
type Feedback struct {
	ID             string          `json:"id"`
	Text           string          `json:"text"`
	BaseTemplateID string          `json:"baseTemplateId"`
	Fields         []FeedbackField `json:"fields"`
	CreatedAt      int64           `json:"createdAt"`
}

// FeedbackField is one answered field; Value is kept raw because its type depends on the
// field type.
type FeedbackField struct {
	ID    string          `json:"id"`
	Type  string          `json:"type"`
	Text  string          `json:"text"`
	Value json.RawMessage `json:"value"`
}

// TextValues returns the fields' string values, in order, for marker checks.
func (f *Feedback) TextValues() []string {
	var out []string
	for _, fld := range f.Fields {
		var s string
		if json.Unmarshal(fld.Value, &s) == nil && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// AddFeedback submits a feedback form (POST /opportunities/:id/feedback) and returns its
// id. Lever requires perform_as here, so an empty performAs fails before sending.
//
// Not retried after 500/502/504 or a transport error: Lever may have stored the form.
// The caller should look for its marker with ListFeedback before trying again.
func (c *Client) AddFeedback(ctx context.Context, opportunityID string, f NewFeedback, performAs string) (string, error) {
	if opportunityID == "" {
		return "", errors.New("lever: add feedback: empty opportunity id")
	}
	if performAs == "" {
		return "", errors.New("lever: add feedback: " + errNoPerformAs.Error())
	}
	if f.BaseTemplateID == "" {
		return "", errors.New("lever: add feedback: empty base template id")
	}
	body := NewFeedback{BaseTemplateID: f.BaseTemplateID, FieldValues: f.FieldValues}
	if body.FieldValues == nil {
		body.FieldValues = []FieldValue{}
	}
	var raw json.RawMessage
	err := c.do(ctx, call{
		method: "POST",
		path:   "/opportunities/" + url.PathEscape(opportunityID) + "/feedback",
		query:  url.Values{"perform_as": {performAs}},
		body:   body,
	}, &raw)
	if err != nil {
		return "", err
	}
	var created struct {
		ID         string `json:"id"`
		FeedbackID string `json:"feedbackId"`
	}
	if json.Unmarshal(unwrapData(raw), &created) != nil || (created.ID == "" && created.FeedbackID == "") {
		return "", errors.New("lever: POST /opportunities/…/feedback: answer has no feedback id")
	}
	if created.ID != "" {
		return created.ID, nil
	}
	return created.FeedbackID, nil
}

// ListFeedback lists all feedback forms of an opportunity, following every page.
func (c *Client) ListFeedback(ctx context.Context, opportunityID string) ([]Feedback, error) {
	if opportunityID == "" {
		return nil, errors.New("lever: list feedback: empty opportunity id")
	}
	wires, err := listAll[feedbackWire](ctx, c, "/opportunities/"+url.PathEscape(opportunityID)+"/feedback", nil)
	if err != nil {
		return nil, err
	}
	out := make([]Feedback, 0, len(wires))
	for _, w := range wires {
		out = append(out, Feedback{
			ID: w.ID, Text: w.Text, BaseTemplateID: string(w.BaseTemplateID),
			Fields: w.Fields, CreatedAt: int64(w.CreatedAt),
		})
	}
	return out, nil
}

type feedbackWire struct {
	ID             string          `json:"id"`
	Text           string          `json:"text"`
	BaseTemplateID ref             `json:"baseTemplateId"`
	Fields         []FeedbackField `json:"fields"`
	CreatedAt      millis          `json:"createdAt"`
}
