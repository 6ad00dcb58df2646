package lever

import (
	"net/http"
	"slices"
	"strings"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

// scoreSystemOptions returns the texts of Lever's four-point rating, best first.
func scoreSystemOptions() []leverapi.FieldOption {
	return []leverapi.FieldOption{
		{Text: "4 - Strong Hire"}, {Text: "3 - Hire"}, {Text: "2 - No Hire"}, {Text: "1 - Strong No Hire"},
	}
}

// knownFieldType reports whether Lever documents this form field type.
func knownFieldType(t string) bool {
	switch t {
	case "code", "currency", "date", "dropdown", "file-upload", "multiple-choice", "multiple-select",
		"note", "score", "score-system", "scorecard", "text", "textarea", "yes-no":
		return true
	}
	return false
}

type template struct {
	leverapi.FeedbackTemplate
	createdAt int64
}

func (t *template) json() map[string]any {
	fields := make([]any, 0, len(t.Fields))
	for _, f := range t.Fields {
		m := map[string]any{
			"id": f.ID, "type": f.Type, "text": f.Text,
			"description": f.Description, "required": f.Required,
		}
		if f.Options != nil {
			m["options"] = f.Options
		}
		fields = append(fields, m)
	}
	return map[string]any{
		"id": t.ID, "text": t.Text, "instructions": t.Instructions, "group": nil, "stage": nil,
		"createdAt": t.createdAt, "updatedAt": t.createdAt, "fields": fields,
	}
}

// field returns the template's field with this id.
func (t *template) field(id string) (leverapi.TemplateField, bool) {
	i := slices.IndexFunc(t.Fields, func(f leverapi.TemplateField) bool { return f.ID == id })
	if i < 0 {
		return leverapi.TemplateField{}, false
	}
	return t.Fields[i], true
}

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	s.listed(w, r, func() ([]any, answer) {
		items := make([]any, 0, len(a.templates))
		for _, t := range a.templates {
			items = append(items, t.json())
		}
		return items, answer{}
	})
}

func (s *Server) getTemplate(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	s.locked(func() answer {
		t := a.template(p[0])
		if t == nil {
			return fail(http.StatusNotFound, "feedback template not found")
		}
		return data(http.StatusOK, t.json())
	}).write(w)
}

// createTemplate: body text, instructions, fields[{type, text, description, required,
// options}]. Every field gets an id; a score-system field gets Lever's four options.
func (s *Server) createTemplate(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	var body struct {
		Text         string `json:"text"`
		Instructions string `json:"instructions"`
		Fields       []struct {
			Type        string                 `json:"type"`
			Text        string                 `json:"text"`
			Description string                 `json:"description"`
			Required    bool                   `json:"required"`
			Options     []leverapi.FieldOption `json:"options"`
		} `json:"fields"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if strings.TrimSpace(body.Text) == "" || len(body.Fields) == 0 {
		writeError(w, http.StatusBadRequest, "text and fields are required")
		return
	}
	t := &template{createdAt: nowMillis()}
	t.ID, t.Text, t.Instructions = newID(), body.Text, body.Instructions
	for _, f := range body.Fields {
		if !knownFieldType(f.Type) || strings.TrimSpace(f.Text) == "" {
			writeError(w, http.StatusBadRequest, "every field needs a known type and a text")
			return
		}
		tf := leverapi.TemplateField{ID: newID(), Type: f.Type, Text: f.Text, Description: f.Description, Required: f.Required, Options: f.Options}
		if f.Type == leverapi.FieldTypeScoreSystem {
			if _, dup := t.ScoreSystemField(); dup {
				writeError(w, http.StatusBadRequest, "a template has at most one score-system field")
				return
			}
			tf.Options = scoreSystemOptions()
		}
		t.Fields = append(t.Fields, tf)
	}
	s.locked(func() answer {
		if _, err := performAs(r, a, false); err != nil {
			return fail(http.StatusBadRequest, err.Error())
		}
		a.templates = append(a.templates, t)
		if s.opts.WrapTemplateCreate {
			return data(http.StatusCreated, t.json())
		}
		return answer{http.StatusCreated, t.json()}
	}).write(w)
}
