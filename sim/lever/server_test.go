package lever_test

import (
	"encoding/base64"
	"net/http"
	"testing"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestAuth(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	basic := func(user string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"))
	}
	tests := []struct {
		name, auth string
		want       int
	}{
		{"bearer", "Bearer " + token, 200},
		{"bearer lowercase scheme", "bearer " + token, 200},
		{"api key as basic user", basic(token), 200},
		{"missing", "-", 401},
		{"unknown bearer", "Bearer other", 401},
		{"unknown basic", basic("other"), 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "GET", "/stages", nil, tt.auth)
			if r.status != tt.want {
				t.Fatalf("status: got %d, want %d", r.status, tt.want)
			}
			if tt.want == 401 && r.body["code"] != "UnauthorizedError" {
				t.Errorf("error body: got %v, want code UnauthorizedError", r.body)
			}
		})
	}
	if got := e.sim.Calls(acct).Total; got != 3 {
		t.Errorf("counted calls: got %d, want 3 (unauthenticated ones are not the account's)", got)
	}
}

func TestV1PrefixAndUnknownRoutes(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	tests := []struct {
		method, path string
		want         int
		wantCode     string
	}{
		{"GET", "/v1/opportunities/" + oppID, 200, ""},
		{"GET", "/opportunities/" + oppID, 200, ""},
		{"GET", "/opportunities/missing", 404, "ResourceNotFound"},
		{"GET", "/v1/nothing/here", 404, "ResourceNotFound"},
		{"DELETE", "/stages", 404, "ResourceNotFound"},
	}
	for _, tt := range tests {
		r := e.do(t, tt.method, tt.path, nil)
		if r.status != tt.want || (tt.wantCode != "" && r.body["code"] != tt.wantCode) {
			t.Errorf("%s %s: got %d %v, want %d %s", tt.method, tt.path, r.status, r.body, tt.want, tt.wantCode)
		}
	}
	if got := e.sim.Calls(acct).ByRoute["GET /opportunities/:id"]; got != 3 {
		t.Errorf("ByRoute[GET /opportunities/:id]: got %d, want 3", got)
	}
}

func TestRateLimit(t *testing.T) {
	tests := []struct {
		name           string
		opts           leversim.Options
		wantLimited    bool
		wantRetryAfter string
	}{
		{"lever's bucket", leversim.Options{Rate: 1, Burst: 5}, true, ""},
		{"with retry-after", leversim.Options{Rate: 1, Burst: 5, RetryAfter: true}, true, "1"},
		{"disabled", leversim.Options{Rate: -1}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts)
			limited := 0
			for range 8 {
				r := e.do(t, "GET", "/stages", nil)
				if r.status == http.StatusTooManyRequests {
					limited++
					if r.body["code"] == "" || r.header.Get("Retry-After") != tt.wantRetryAfter {
						t.Errorf("429: got body %v, Retry-After %q, want a code and %q", r.body, r.header.Get("Retry-After"), tt.wantRetryAfter)
					}
				}
			}
			if (limited > 0) != tt.wantLimited {
				t.Fatalf("429s: got %d, want some=%v", limited, tt.wantLimited)
			}
			if c := e.sim.Calls(acct); c.RateLimited != limited || c.Total != 8 {
				t.Errorf("stats: got %+v, want RateLimited %d of Total 8", c, limited)
			}
		})
	}
}

func TestOpportunityApplications(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	plain := e.do(t, "GET", "/opportunities/"+oppID, nil).data(t)
	apps, _ := plain["applications"].([]any)
	if len(apps) != 1 {
		t.Fatalf("applications: got %v, want one id", plain["applications"])
	}
	if _, isID := apps[0].(string); !isID {
		t.Errorf("application without expand: got %v, want an id string", apps[0])
	}
	if plain["stage"] != "stage-new" || plain["archived"] != nil || plain["contact"] == nil {
		t.Errorf("opportunity: got %v, want stage id, archived null, a contact", plain)
	}
	expanded := e.do(t, "GET", "/opportunities/"+oppID+"?expand=applications", nil).data(t)
	app, _ := expanded["applications"].([]any)[0].(map[string]any)
	if app["posting"] != "posting-1" || app["opportunityId"] != oppID {
		t.Errorf("expanded application: got %v, want posting posting-1", app)
	}
}

func TestTags(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	r := e.do(t, "POST", "/opportunities/"+oppID+"/addTags?perform_as="+userID, map[string]any{"tags": []string{"A", "Go", "A"}})
	if r.status != 200 {
		t.Fatalf("addTags: got %d %v, want 200", r.status, r.body)
	}
	if got := r.data(t)["tags"]; len(got.([]any)) != 2 {
		t.Errorf("tags after add: got %v, want [Go A]", got)
	}
	r = e.do(t, "POST", "/opportunities/"+oppID+"/removeTags", map[string]any{"tags": []string{"Go", "missing"}})
	if st, _ := e.sim.Snapshot(acct, oppID); r.status != 200 || len(st.Tags) != 1 || st.Tags[0] != "A" {
		t.Errorf("removeTags: got %d, tags %v, want 200 and [A]", r.status, st.Tags)
	}
	for _, bad := range []struct {
		path string
		body any
	}{
		{"/opportunities/" + oppID + "/addTags", map[string]any{}},
		{"/opportunities/" + oppID + "/addTags?perform_as=ghost", map[string]any{"tags": []string{"x"}}},
		{"/opportunities/" + oppID + "/addTags", "not an object"},
	} {
		if r := e.do(t, "POST", bad.path, bad.body); r.status != 400 || r.body["code"] != "BadRequestError" {
			t.Errorf("POST %s %v: got %d %v, want 400 BadRequestError", bad.path, bad.body, r.status, r.body)
		}
	}
}

func TestNotes(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	path := "/opportunities/" + oppID + "/notes"
	r := e.do(t, "POST", path+"?perform_as="+userID, map[string]any{"value": "Score 80", "score": 4, "secret": true})
	if r.status != 201 || r.data(t)["noteId"] == "" {
		t.Fatalf("create note: got %d %v, want 201 with data.noteId", r.status, r.body)
	}
	for _, bad := range []map[string]any{{"value": ""}, {"secret": true}, {"value": "x", "score": 0}, {"value": "x", "score": 5}} {
		if r := e.do(t, "POST", path, bad); r.status != 400 {
			t.Errorf("create note %v: got %d, want 400", bad, r.status)
		}
	}
	if r := e.do(t, "POST", "/opportunities/missing/notes", map[string]any{"value": "x"}); r.status != 404 {
		t.Errorf("note on missing opportunity: got %d, want 404", r.status)
	}
	list := e.do(t, "GET", path, nil)
	notes := list.list(t)
	if len(notes) != 1 || list.body["hasNext"] != false {
		t.Fatalf("list notes: got %v, want one note and hasNext false", list.body)
	}
	field := notes[0].(map[string]any)["fields"].([]any)[0].(map[string]any)
	if field["value"] != "Score 80" || field["type"] != "note" {
		t.Errorf("note field: got %v, want type note, value Score 80", field)
	}
	st, _ := e.sim.Snapshot(acct, oppID)
	if len(st.Notes) != 1 || st.Notes[0].PerformAs != userID || st.Notes[0].Score != 4 {
		t.Errorf("snapshot notes: got %+v, want one by %s with score 4", st.Notes, userID)
	}
}

func TestPagination(t *testing.T) {
	e := newEnv(t, leversim.Options{Rate: -1})
	for i := range 5 {
		e.sim.AddStage(acct, "extra-"+string(rune('a'+i)), "Extra")
	}
	var ids []any
	path, pages := "/stages?limit=3", 0
	for {
		r := e.do(t, "GET", path, nil)
		if r.status != 200 {
			t.Fatalf("GET %s: got %d %v, want 200", path, r.status, r.body)
		}
		pages++
		ids = append(ids, r.list(t)...)
		if r.body["hasNext"] != true {
			if _, has := r.body["next"]; has {
				t.Errorf("last page: got next %v, want none", r.body["next"])
			}
			break
		}
		path = "/stages?limit=3&offset=" + r.body["next"].(string)
	}
	if len(ids) != 7 || pages != 3 {
		t.Errorf("paged stages: got %d in %d pages, want 7 in 3", len(ids), pages)
	}
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "offset=garbage"} {
		if r := e.do(t, "GET", "/stages?"+q, nil); r.status != 400 {
			t.Errorf("GET /stages?%s: got %d, want 400", q, r.status)
		}
	}
}

func TestUsersByEmail(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	e.sim.AddUser(acct, leversim.User{ID: "user-2", Name: "Sam", Email: "sam@example.com"})
	tests := []struct {
		query string
		want  int
	}{
		{"", 2},
		{"?email=RITA@example.com", 1},
		{"?email=nobody@example.com", 0},
	}
	for _, tt := range tests {
		if got := e.do(t, "GET", "/users"+tt.query, nil).list(t); len(got) != tt.want {
			t.Errorf("GET /users%s: got %d users, want %d", tt.query, len(got), tt.want)
		}
	}
}

func TestPosting(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	p := e.do(t, "GET", "/postings/posting-1", nil).data(t)
	if p["text"] != "Backend" || len(p["tags"].([]any)) != 1 {
		t.Errorf("posting: got %v, want text Backend and one tag", p)
	}
	if r := e.do(t, "GET", "/postings/missing", nil); r.status != 404 {
		t.Errorf("missing posting: got %d, want 404", r.status)
	}
}
