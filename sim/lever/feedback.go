package lever

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

type feedback struct {
	FeedbackRecord
	createdAt int64
	tmpl      *template
}

// createFeedback: perform_as required; body baseTemplateId and fieldValues[{id, value}],
// checked against the template (a score-system value must be one of its option texts).
func (s *Server) createFeedback(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	var body struct {
		BaseTemplateID string `json:"baseTemplateId"`
		FieldValues    []struct {
			ID    string          `json:"id"`
			Value json.RawMessage `json:"value"`
		} `json:"fieldValues"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.locked(func() answer {
		o, ok := a.opps[p[0]]
		if !ok {
			return fail(http.StatusNotFound, "opportunity not found")
		}
		user, err := performAs(r, a, true)
		if err != nil {
			return fail(http.StatusBadRequest, err.Error())
		}
		t := a.template(body.BaseTemplateID)
		if t == nil {
			return fail(http.StatusBadRequest, "baseTemplateId does not name a feedback template")
		}
		fb := feedback{
			FeedbackRecord: FeedbackRecord{ID: newID(), TemplateID: t.ID, PerformAs: user, Values: map[string]any{}},
			createdAt:      nowMillis(),
			tmpl:           t,
		}
		for _, fv := range body.FieldValues {
			f, ok := t.field(fv.ID)
			if !ok {
				return fail(http.StatusBadRequest, fmt.Sprintf("field %q is not in the template", fv.ID))
			}
			if _, dup := fb.Values[fv.ID]; dup {
				return fail(http.StatusBadRequest, fmt.Sprintf("field %q answered twice", fv.ID))
			}
			var v any
			if err := json.Unmarshal(fv.Value, &v); err != nil {
				return fail(http.StatusBadRequest, fmt.Sprintf("field %q has no valid value", fv.ID))
			}
			if f.Type == leverapi.FieldTypeScoreSystem {
				text, isText := v.(string)
				if !isText || !slices.ContainsFunc(f.Options, func(o leverapi.FieldOption) bool { return o.Text == text }) {
					return fail(http.StatusBadRequest, fmt.Sprintf("field %q must be one of the template's rating options", fv.ID))
				}
				fb.Rating = text
			}
			fb.Values[fv.ID] = v
		}
		for _, f := range t.Fields {
			if v := fb.Values[f.ID]; f.Required && (v == nil || v == "") {
				return fail(http.StatusBadRequest, fmt.Sprintf("required field %q has no value", f.ID))
			}
		}
		o.feedback = append(o.feedback, fb)
		return data(http.StatusCreated, fb.json())
	}).write(w)
}

func (s *Server) listFeedback(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	s.listed(w, r, func() ([]any, answer) {
		o, ok := a.opps[p[0]]
		if !ok {
			return nil, fail(http.StatusNotFound, "opportunity not found")
		}
		items := make([]any, 0, len(o.feedback))
		for _, fb := range o.feedback {
			items = append(items, fb.json())
		}
		return items, answer{}
	})
}

// json renders a feedback form as Lever does: the template's fields with their values.
func (fb *feedback) json() map[string]any {
	fields := make([]any, 0, len(fb.tmpl.Fields))
	for _, f := range fb.tmpl.Fields {
		m := map[string]any{
			"id": f.ID, "type": f.Type, "text": f.Text, "description": f.Description,
			"required": f.Required, "value": fb.Values[f.ID],
		}
		if f.Options != nil {
			m["options"] = f.Options
		}
		fields = append(fields, m)
	}
	return map[string]any{
		"id": fb.ID, "type": "interview", "text": fb.tmpl.Text, "instructions": fb.tmpl.Instructions,
		"fields": fields, "baseTemplateId": fb.TemplateID, "interview": nil, "panel": nil,
		"user": fb.PerformAs, "createdAt": fb.createdAt, "completedAt": fb.createdAt,
		"updatedAt": fb.createdAt, "deletedAt": nil,
	}
}
