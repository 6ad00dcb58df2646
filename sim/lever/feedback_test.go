package lever_test

import (
	"testing"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// createTemplate creates a template with a rating and a required summary; it returns the
// template's data object.
func createTemplate(t *testing.T, e *env) map[string]any {
	t.Helper()
	r := e.do(t, "POST", "/feedback_templates", map[string]any{
		"text": "Assessment", "instructions": "auto",
		"fields": []map[string]any{
			{"type": "score-system", "text": "Rating", "required": true, "options": []map[string]string{{"text": "ignored"}}},
			{"type": "textarea", "text": "Summary", "required": true},
			{"type": "text", "text": "Link"},
		},
	})
	if r.status != 201 {
		t.Fatalf("create template: got %d %v, want 201", r.status, r.body)
	}
	if d, wrapped := r.body["data"].(map[string]any); wrapped {
		return d
	}
	return r.body
}

func fieldIDs(t *testing.T, tmpl map[string]any) (rating, summary, link string) {
	t.Helper()
	fields := tmpl["fields"].([]any)
	if len(fields) != 3 {
		t.Fatalf("template fields: got %v, want 3", fields)
	}
	id := func(i int) string { return fields[i].(map[string]any)["id"].(string) }
	return id(0), id(1), id(2)
}

func TestTemplateCreate(t *testing.T) {
	for _, wrap := range []bool{false, true} {
		e := newEnv(t, leversim.Options{WrapTemplateCreate: wrap})
		r := e.do(t, "POST", "/feedback_templates", map[string]any{"text": "T", "fields": []map[string]any{{"type": "score-system", "text": "Rating"}}})
		_, wrapped := r.body["data"]
		if r.status != 201 || wrapped != wrap {
			t.Errorf("wrap=%v: got %d wrapped=%v, want 201 wrapped=%v", wrap, r.status, wrapped, wrap)
		}
	}
	e := newEnv(t, leversim.Options{})
	tmpl := createTemplate(t, e)
	rating, summary, link := fieldIDs(t, tmpl)
	if rating == "" || summary == "" || link == "" || rating == summary {
		t.Errorf("field ids: got %q %q %q, want distinct ids", rating, summary, link)
	}
	var opts []string
	for _, o := range tmpl["fields"].([]any)[0].(map[string]any)["options"].([]any) {
		opts = append(opts, o.(map[string]any)["text"].(string))
	}
	want := []string{"4 - Strong Hire", "3 - Hire", "2 - No Hire", "1 - Strong No Hire"}
	if len(opts) != 4 || opts[0] != want[0] || opts[1] != want[1] || opts[2] != want[2] || opts[3] != want[3] {
		t.Errorf("score-system options: got %v, want %v", opts, want)
	}
	got := e.do(t, "GET", "/feedback_templates/"+tmpl["id"].(string), nil).data(t)
	if got["id"] != tmpl["id"] || len(e.do(t, "GET", "/feedback_templates", nil).list(t)) != 1 {
		t.Errorf("read back: got %v, want the created template listed once", got)
	}
	if ts := e.sim.Templates(acct); len(ts) != 1 || ts[0].ID != tmpl["id"] {
		t.Errorf("Templates: got %+v, want the created one", ts)
	}
	for _, bad := range []map[string]any{
		{"fields": []map[string]any{{"type": "text", "text": "x"}}},
		{"text": "T"},
		{"text": "T", "fields": []map[string]any{{"type": "bogus", "text": "x"}}},
		{"text": "T", "fields": []map[string]any{{"type": "score-system", "text": "a"}, {"type": "score-system", "text": "b"}}},
	} {
		if r := e.do(t, "POST", "/feedback_templates", bad); r.status != 400 {
			t.Errorf("create template %v: got %d, want 400", bad, r.status)
		}
	}
	if r := e.do(t, "GET", "/feedback_templates/missing", nil); r.status != 404 {
		t.Errorf("missing template: got %d, want 404", r.status)
	}
}

func TestFeedback(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	tmpl := createTemplate(t, e)
	rating, summary, link := fieldIDs(t, tmpl)
	tid := tmpl["id"].(string)
	path := "/opportunities/" + oppID + "/feedback"
	good := map[string]any{"baseTemplateId": tid, "fieldValues": []map[string]any{
		{"id": rating, "value": "2 - No Hire"}, {"id": summary, "value": "marker-1 score 40"}, {"id": link, "value": "https://r/1"},
	}}
	tests := []struct {
		name, query string
		body        map[string]any
		want        int
	}{
		{"no perform_as", "", good, 400},
		{"unknown perform_as", "?perform_as=ghost", good, 400},
		{"unknown template", "?perform_as=" + userID, map[string]any{"baseTemplateId": "nope", "fieldValues": []any{}}, 400},
		{"rating not an option", "?perform_as=" + userID, map[string]any{"baseTemplateId": tid, "fieldValues": []map[string]any{
			{"id": rating, "value": "No Hire"}, {"id": summary, "value": "s"}}}, 400},
		{"rating as number", "?perform_as=" + userID, map[string]any{"baseTemplateId": tid, "fieldValues": []map[string]any{
			{"id": rating, "value": 2}, {"id": summary, "value": "s"}}}, 400},
		{"required missing", "?perform_as=" + userID, map[string]any{"baseTemplateId": tid, "fieldValues": []map[string]any{
			{"id": rating, "value": "3 - Hire"}}}, 400},
		{"unknown field", "?perform_as=" + userID, map[string]any{"baseTemplateId": tid, "fieldValues": []map[string]any{
			{"id": rating, "value": "3 - Hire"}, {"id": summary, "value": "s"}, {"id": "zzz", "value": "s"}}}, 400},
		{"ok", "?perform_as=" + userID, good, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "POST", path+tt.query, tt.body)
			if r.status != tt.want {
				t.Fatalf("status: got %d %v, want %d", r.status, r.body, tt.want)
			}
			if tt.want == 201 && (r.data(t)["id"] == "" || r.data(t)["baseTemplateId"] != tid) {
				t.Errorf("created feedback: got %v, want an id and the template", r.body)
			}
		})
	}
	st, _ := e.sim.Snapshot(acct, oppID)
	if len(st.Feedback) != 1 {
		t.Fatalf("stored feedback: got %d, want 1", len(st.Feedback))
	}
	fb := st.Feedback[0]
	if fb.Rating != "2 - No Hire" || fb.PerformAs != userID || fb.TemplateID != tid || fb.Values[summary] != "marker-1 score 40" {
		t.Errorf("record: got %+v, want rating 2 - No Hire, values kept", fb)
	}
	listed := e.do(t, "GET", path, nil).list(t)
	fields := listed[0].(map[string]any)["fields"].([]any)
	if len(listed) != 1 || fields[0].(map[string]any)["value"] != "2 - No Hire" {
		t.Errorf("listed feedback: got %v, want the rating in its field", listed)
	}
}
