package lever_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
)

// serveJSON answers every request with body.
func serveJSON(t *testing.T, body string) *lever.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := lever.New(srv.URL, lever.WithAPIKey("k"))
	if err != nil {
		t.Fatalf("New: got %v, want nil", err)
	}
	return c
}

func TestOpportunityShapes(t *testing.T) {
	tests := []struct {
		name string
		body string
		want lever.Opportunity
	}{
		{
			name: "ids",
			body: `{"data":{"id":"o1","name":"N","contact":"c1","emails":["e@x.io"],"tags":["a"],"stage":"s1",
				"archived":null,"applications":["a1","a2"],"owner":"u1","urls":{"list":"l","show":"https://hire/o1"},"unknown":{"x":1}}}`,
			want: lever.Opportunity{ID: "o1", Name: "N", Contact: "c1", Emails: []string{"e@x.io"}, Tags: []string{"a"},
				StageID: "s1", Applications: []lever.Application{{ID: "a1"}, {ID: "a2"}}, OwnerID: "u1", ShowURL: "https://hire/o1"},
		},
		{
			name: "expanded objects",
			body: `{"data":{"id":"o1","stage":{"id":"s1","text":"Screen"},"owner":{"id":"u1","name":"R"},
				"contact":{"id":"c1"},"archived":{"archivedAt":1700000000000,"reason":{"id":"r1","text":"Hired"}},
				"applications":[{"id":"a1","posting":"p1"},{"id":"a2","posting":{"id":"p2","text":"T"}},{"id":"a3","posting":"p1"},{"id":"a4","posting":null}]}}`,
			want: lever.Opportunity{ID: "o1", Contact: "c1", StageID: "s1", OwnerID: "u1",
				Archived: &lever.Archived{ArchivedAt: 1700000000000, Reason: "r1"},
				Applications: []lever.Application{{ID: "a1", PostingID: "p1"}, {ID: "a2", PostingID: "p2"},
					{ID: "a3", PostingID: "p1"}, {ID: "a4"}}},
		},
		{
			name: "nulls and legacy archive fields",
			body: `{"data":{"id":"o1","name":null,"stage":null,"owner":null,"tags":null,"applications":null,
				"archivedAt":"1700000000001","archiveReason":"r2"}}`,
			want: lever.Opportunity{ID: "o1", Archived: &lever.Archived{ArchivedAt: 1700000000001, Reason: "r2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := serveJSON(t, tt.body).GetOpportunity(context.Background(), "o1")
			if err != nil {
				t.Fatalf("GetOpportunity: got %v, want nil", err)
			}
			if !equalOpportunity(*got, tt.want) {
				t.Errorf("got %+v (archived %+v), want %+v (archived %+v)", *got, got.Archived, tt.want, tt.want.Archived)
			}
		})
	}
}

func equalOpportunity(a, b lever.Opportunity) bool {
	if (a.Archived == nil) != (b.Archived == nil) || (a.Archived != nil && *a.Archived != *b.Archived) {
		return false
	}
	return a.ID == b.ID && a.Name == b.Name && a.Contact == b.Contact && slices.Equal(a.Emails, b.Emails) &&
		slices.Equal(a.Tags, b.Tags) && a.StageID == b.StageID && slices.Equal(a.Applications, b.Applications) &&
		a.OwnerID == b.OwnerID && a.ShowURL == b.ShowURL
}

func TestPostingIDs(t *testing.T) {
	o := lever.Opportunity{Applications: []lever.Application{{ID: "a", PostingID: "p2"}, {ID: "b"}, {ID: "c", PostingID: "p1"}, {ID: "d", PostingID: "p2"}}}
	if got, want := o.PostingIDs(), []string{"p2", "p1"}; !slices.Equal(got, want) {
		t.Errorf("PostingIDs: got %v, want %v", got, want)
	}
}

func TestPostingShapes(t *testing.T) {
	for _, body := range []string{
		`{"data":{"id":"p1","text":"T","tags":["x"],"owner":"u1","hiringManager":"u2"}}`,
		`{"data":{"id":"p1","text":"T","tags":["x"],"owner":{"id":"u1"},"hiringManager":{"id":"u2","name":"H"}}}`,
	} {
		got, err := serveJSON(t, body).GetPosting(context.Background(), "p1")
		want := lever.Posting{ID: "p1", Text: "T", Tags: []string{"x"}, OwnerID: "u1", HiringManagerID: "u2"}
		if err != nil || got.ID != want.ID || got.Text != want.Text || !slices.Equal(got.Tags, want.Tags) ||
			got.OwnerID != want.OwnerID || got.HiringManagerID != want.HiringManagerID {
			t.Errorf("GetPosting(%s): got (%+v, %v), want %+v", body, got, err, want)
		}
	}
}

func TestNoteShapes(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"fields", `{"data":[{"id":"n1","text":"Title","fields":[{"type":"note","text":"note","value":"line 1"},{"type":"note","value":"line 2"}],"createdAt":5}]}`, "line 1\nline 2"},
		{"top-level value", `{"data":[{"id":"n1","value":"plain","createdAt":5}]}`, "plain"},
		{"non-string field value", `{"data":[{"id":"n1","fields":[{"value":3},{"value":null}],"createdAt":5}]}`, "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notes, err := serveJSON(t, tt.body).ListNotes(context.Background(), "o1")
			if err != nil || len(notes) != 1 || notes[0].Value != tt.want || notes[0].ID != "n1" || notes[0].CreatedAt != 5 {
				t.Errorf("ListNotes: got (%+v, %v), want one note n1 with value %q", notes, err, tt.want)
			}
		})
	}
}

func TestCreateAnswersShapes(t *testing.T) {
	ctx := context.Background()
	tmpl := lever.NewFeedbackTemplate{Text: "T", Fields: []lever.NewTemplateField{{Type: "score-system", Text: "Rating"}}}
	for _, body := range []string{
		`{"id":"t1","text":"T","fields":[{"id":"f1","type":"score-system","text":"Rating","options":[{"text":"3 - Hire","optionId":"x"}]}]}`,
		`{"data":{"id":"t1","text":"T","fields":[{"id":"f1","type":"score-system","text":"Rating","options":[{"text":"3 - Hire"}]}]}}`,
		`{"data":{"data":{"id":"t1","text":"T","fields":[{"id":"f1","type":"score-system","text":"Rating","options":[{"text":"3 - Hire"}]}]}}}`,
	} {
		got, err := serveJSON(t, body).CreateFeedbackTemplate(ctx, tmpl, "")
		if err != nil || got.ID != "t1" || len(got.Fields) != 1 || got.Fields[0].ID != "f1" || got.Fields[0].Options[0].Text != "3 - Hire" {
			t.Errorf("CreateFeedbackTemplate(%s): got (%+v, %v), want template t1", body, got, err)
		}
	}
	for _, tc := range []struct{ body, want string }{
		{`{"data":{"noteId":"n1"}}`, "n1"},
		{`{"data":{"id":"n2","fields":[]}}`, "n2"},
	} {
		got, err := serveJSON(t, tc.body).AddNote(ctx, "o1", lever.NewNote{Value: "v"}, "")
		if err != nil || got != tc.want {
			t.Errorf("AddNote answer %s: got (%q, %v), want %q", tc.body, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ body, want string }{
		{`{"data":{"id":"f1","fields":[]}}`, "f1"},
		{`{"id":"f2"}`, "f2"},
	} {
		got, err := serveJSON(t, tc.body).AddFeedback(ctx, "o1", lever.NewFeedback{BaseTemplateID: "t1"}, "u1")
		if err != nil || got != tc.want {
			t.Errorf("AddFeedback answer %s: got (%q, %v), want %q", tc.body, got, err, tc.want)
		}
	}
}

func TestFeedbackShapes(t *testing.T) {
	body := `{"data":[{"id":"fb1","text":"Form","baseTemplateId":"t1","createdAt":"7","fields":[
		{"id":"f1","type":"score-system","text":"Rating","value":"4 - Strong Hire"},
		{"id":"f2","type":"yes-no","value":"yes"},{"id":"f3","type":"score","value":3},
		{"id":"f4","type":"multiple-select","value":["a"]},{"type":"text","value":null}]}],"hasNext":false}`
	fbs, err := serveJSON(t, body).ListFeedback(context.Background(), "o1")
	if err != nil || len(fbs) != 1 {
		t.Fatalf("ListFeedback: got (%v, %v), want one form", fbs, err)
	}
	if got, want := fbs[0].TextValues(), []string{"4 - Strong Hire", "yes"}; !slices.Equal(got, want) || fbs[0].CreatedAt != 7 || fbs[0].BaseTemplateID != "t1" {
		t.Errorf("feedback: got %+v values %q, want values %q, createdAt 7, template t1", fbs[0], got, want)
	}
}
