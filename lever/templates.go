package lever

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// FieldTypeScoreSystem is the type of a template's overall rating field, whose value is
// one of its option texts (e.g. "3 - Hire").
const FieldTypeScoreSystem = "score-system"

// FeedbackTemplate is a feedback form template.
type FeedbackTemplate struct {
	ID           string          `json:"id"`
	Text         string          `json:"text"`
	Instructions string          `json:"instructions"`
	Fields       []TemplateField `json:"fields"`
}

// TemplateField is one question of a template.
type TemplateField struct {
	ID          string        `json:"id"`
	Type        string        `json:"type"`
	Text        string        `json:"text"`
	Description string        `json:"description"`
	Required    bool          `json:"required"`
	Options     []FieldOption `json:"options"`
}

// FieldOption is one choice of a field; for score-system the text is the value to send.
type FieldOption struct {
	Text string `json:"text"`
}

// ScoreSystemField returns the template's score-system (rating) field.
func (t *FeedbackTemplate) ScoreSystemField() (TemplateField, bool) {
	for _, f := range t.Fields {
		if f.Type == FieldTypeScoreSystem {
			return f, true
		}
	}
	return TemplateField{}, false
}

// NewFeedbackTemplate is a template to create.
type NewFeedbackTemplate struct {
	Text         string             `json:"text"`
	Instructions string             `json:"instructions,omitempty"`
	Fields       []NewTemplateField `json:"fields"`
}

// NewTemplateField is a question of a template to create.
type NewTemplateField struct {
	Type        string        `json:"type"`
	Text        string        `json:"text"`
	Description string        `json:"description,omitempty"`
	Required    bool          `json:"required"`
	Options     []FieldOption `json:"options,omitempty"`
}

// ListFeedbackTemplates lists all feedback templates of the account, following every page.
func (c *Client) ListFeedbackTemplates(ctx context.Context) ([]FeedbackTemplate, error) {
	return listAll[FeedbackTemplate](ctx, c, "/feedback_templates", nil)
}

// GetFeedbackTemplate reads one template (GET /feedback_templates/:id).
func (c *Client) GetFeedbackTemplate(ctx context.Context, id string) (*FeedbackTemplate, error) {
	if id == "" {
		return nil, errors.New("lever: get feedback template: empty id")
	}
	var env envelope[FeedbackTemplate]
	err := c.do(ctx, call{method: "GET", path: "/feedback_templates/" + url.PathEscape(id), repeatable: true}, &env)
	if err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// CreateFeedbackTemplate creates a template (POST /feedback_templates). Lever's answer is
// read with or without the {"data": …} wrapper. perform_as is sent only when set.
//
// Not retried after 500/502/504 or a transport error (it could create a twin): the caller
// should look the template up by name before trying again.
func (c *Client) CreateFeedbackTemplate(ctx context.Context, t NewFeedbackTemplate, performAs string) (*FeedbackTemplate, error) {
	if t.Text == "" || len(t.Fields) == 0 {
		return nil, errors.New("lever: create feedback template: text and fields are required")
	}
	var raw json.RawMessage
	err := c.do(ctx, call{method: "POST", path: "/feedback_templates", query: performAsQuery(performAs), body: t}, &raw)
	if err != nil {
		return nil, err
	}
	var out FeedbackTemplate
	if err := json.Unmarshal(unwrapData(raw), &out); err != nil {
		return nil, fmt.Errorf("lever: POST /feedback_templates: decode response: %w", err)
	}
	if out.ID == "" {
		return nil, errors.New("lever: POST /feedback_templates: answer has no template id")
	}
	return &out, nil
}
