package lever_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

const (
	acct   = "acct-1"
	token  = "token-1"
	userID = "user-1"
	oppID  = "opp-1"
)

type env struct {
	sim *leversim.Server
	srv *httptest.Server
}

func newEnv(t *testing.T, opts leversim.Options) *env {
	t.Helper()
	sim := leversim.New(opts)
	sim.AddAccount(acct, token)
	sim.AddUser(acct, leversim.User{ID: userID, Name: "Rita", Email: "rita@example.com"})
	sim.AddStage(acct, "stage-new", "New lead")
	sim.AddStage(acct, "stage-assess", "Assessment")
	sim.AddPosting(acct, leversim.Posting{ID: "posting-1", Text: "Backend", Tags: []string{"asmt-1"}})
	sim.AddOpportunity(acct, leversim.Opportunity{ID: oppID, Name: "Casey", Emails: []string{"casey@example.com"},
		Tags: []string{"Go"}, StageID: "stage-new", PostingID: "posting-1"})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &env{sim: sim, srv: srv}
}

// reply is a decoded answer.
type reply struct {
	status int
	header http.Header
	body   map[string]any
}

// do sends method path (with query) and an optional JSON body, authenticated as the
// account unless auth says otherwise ("-" for none).
func (e *env) do(t *testing.T, method, path string, body any, auth ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	switch {
	case len(auth) == 0:
		req.Header.Set("Authorization", "Bearer "+token)
	case auth[0] != "-":
		req.Header.Set("Authorization", auth[0])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: got %v, want an answer", method, path, err)
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("%s %s: body %q is not a JSON object: %v", method, path, raw, err)
		}
	}
	return r
}

// data returns body.data as an object.
func (r reply) data(t *testing.T) map[string]any {
	t.Helper()
	d, ok := r.body["data"].(map[string]any)
	if !ok {
		t.Fatalf("body %v: got no data object, want one", r.body)
	}
	return d
}

// list returns body.data as an array.
func (r reply) list(t *testing.T) []any {
	t.Helper()
	d, ok := r.body["data"].([]any)
	if !ok {
		t.Fatalf("body %v: got no data array, want one", r.body)
	}
	return d
}

func stringsReader(s string) io.Reader { return bytes.NewReader([]byte(s)) }
