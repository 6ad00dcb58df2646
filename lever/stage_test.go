package lever_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// recorded is one request as a raw server saw it.
type recorded struct {
	method, path, query, ctype string
	body                       []byte
}

// recorder is a bare Lever stand-in that records requests and answers status with body.
func recorder(t *testing.T, status int, body string) (*lever.Client, func() []recorded) {
	t.Helper()
	var (
		mu  sync.Mutex
		got []recorded
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, recorded{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Content-Type"), b})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := lever.New(srv.URL, lever.WithAPIKey("k"), lever.WithLimiter(nil))
	if err != nil {
		t.Fatalf("lever.New: got %v, want nil", err)
	}
	return c, func() []recorded {
		mu.Lock()
		defer mu.Unlock()
		return append([]recorded(nil), got...)
	}
}

func TestStageAndArchiveRequestShape(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		send func(*lever.Client) error
		want recorded
	}{
		{"stage as a user", func(c *lever.Client) error { return c.ChangeStage(ctx, "o 1", "s1", "u1") },
			recorded{"PUT", "/opportunities/o%201/stage", "perform_as=u1", "application/json", []byte(`{"stage":"s1"}`)}},
		{"stage without perform_as", func(c *lever.Client) error { return c.ChangeStage(ctx, "o1", "s1", "") },
			recorded{"PUT", "/opportunities/o1/stage", "", "application/json", []byte(`{"stage":"s1"}`)}},
		{"archive as a user", func(c *lever.Client) error { return c.Archive(ctx, "o1", "r1", "u1") },
			recorded{"PUT", "/opportunities/o1/archived", "perform_as=u1", "application/json", []byte(`{"reason":"r1"}`)}},
		{"archive without perform_as", func(c *lever.Client) error { return c.Archive(ctx, "o1", "r1", "") },
			recorded{"PUT", "/opportunities/o1/archived", "", "application/json", []byte(`{"reason":"r1"}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, got := recorder(t, http.StatusOK, `{"data":{"id":"o1"}}`)
			if err := tt.send(c); err != nil {
				t.Fatalf("call: got %v, want nil", err)
			}
			reqs := got()
			if len(reqs) != 1 {
				t.Fatalf("requests: got %d, want 1", len(reqs))
			}
			r := reqs[0]
			if r.method != tt.want.method || r.path != tt.want.path || r.query != tt.want.query || r.ctype != tt.want.ctype || string(r.body) != string(tt.want.body) {
				t.Errorf("request: got %s %s ?%s (%s) %s, want %s %s ?%s (%s) %s", r.method, r.path, r.query, r.ctype, r.body,
					tt.want.method, tt.want.path, tt.want.query, tt.want.ctype, tt.want.body)
			}
		})
	}
}

func TestStageAndArchiveValidateBeforeSending(t *testing.T) {
	ctx := context.Background()
	c, got := recorder(t, http.StatusOK, `{}`)
	for name, err := range map[string]error{
		"stage: no opportunity":   c.ChangeStage(ctx, "", "s1", ""),
		"stage: no stage":         c.ChangeStage(ctx, "o1", "", ""),
		"archive: no opportunity": c.Archive(ctx, "", "r1", ""),
		"archive: no reason":      c.Archive(ctx, "o1", "", ""),
	} {
		if err == nil {
			t.Errorf("%s: got nil error, want a validation error", name)
		}
	}
	if n := len(got()); n != 0 {
		t.Errorf("requests: got %d, want 0", n)
	}
}

func TestChangeStageOnTheSimulator(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	if err := f.client.ChangeStage(ctx, oppID, "stage-assess", userID); err != nil {
		t.Fatalf("ChangeStage: got %v, want nil", err)
	}
	o, err := f.client.GetOpportunity(ctx, oppID)
	if err != nil || o.StageID != "stage-assess" {
		t.Fatalf("GetOpportunity: got (%+v, %v), want stage stage-assess", o, err)
	}
	if err := f.client.ChangeStage(ctx, oppID, "stage-assess", userID); err != nil {
		t.Errorf("ChangeStage again: got %v, want nil (an absolute value)", err)
	}

	tests := []struct {
		name     string
		opp      string
		stage    string
		wantIs   error
		wantCode int
	}{
		{"unknown stage", oppID, "stage-nope", nil, http.StatusBadRequest},
		{"unknown opportunity", "opp-nope", "stage-new", lever.ErrNotFound, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.client.ChangeStage(ctx, tt.opp, tt.stage, "")
			apiErr, ok := errors.AsType[*lever.APIError](err)
			if !ok || apiErr.StatusCode != tt.wantCode || lever.IsRetryable(err) || (tt.wantIs != nil && !errors.Is(err, tt.wantIs)) {
				t.Errorf("ChangeStage: got %v, want a non-retryable %d", err, tt.wantCode)
			}
		})
	}
	if st, _ := f.sim.Snapshot(acct, oppID); st.StageID != "stage-assess" {
		t.Errorf("stage after rejected moves: got %s, want stage-assess", st.StageID)
	}
}

// TestStageAndArchiveRetriedAfterServerErrors: both set absolute values, so a 500 after
// Lever applied the change is retried and the end state is the same.
func TestStageAndArchiveRetriedAfterServerErrors(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	f.sim.InjectFault(leversim.Fault{Method: "PUT", PathContains: "/stage", Status: 500, AfterApply: true})
	f.sim.InjectFault(leversim.Fault{Method: "PUT", PathContains: "/archived", DropConnection: true, AfterApply: true})
	if err := f.client.ChangeStage(ctx, oppID, "stage-assess", ""); err != nil {
		t.Fatalf("ChangeStage: got %v, want nil after a retry", err)
	}
	if err := f.client.Archive(ctx, oppID, leversim.ReasonWithdrew, ""); err != nil {
		t.Fatalf("Archive: got %v, want nil after a retry", err)
	}
	if n, m := f.route("PUT /opportunities/:id/stage"), f.route("PUT /opportunities/:id/archived"); n != 2 || m != 2 {
		t.Errorf("attempts: got stage %d archive %d, want 2 each", n, m)
	}
	st, _ := f.sim.Snapshot(acct, oppID)
	if st.StageID != "stage-assess" || st.ArchiveReason != leversim.ReasonWithdrew {
		t.Errorf("state: got stage %s reason %s, want stage-assess and %s", st.StageID, st.ArchiveReason, leversim.ReasonWithdrew)
	}
}

func TestRevokedAccessOnWrites(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	c, err := lever.New(f.srv.URL, lever.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "revoked"})))
	if err != nil {
		t.Fatalf("lever.New: got %v, want nil", err)
	}
	_, uploadErr := c.UploadFile(ctx, oppID, lever.NewFile{Name: "r.pdf", Data: []byte("%PDF")}, userID)
	_, listErr := c.ListArchiveReasons(ctx)
	for name, err := range map[string]error{
		"ChangeStage":        c.ChangeStage(ctx, oppID, "stage-assess", ""),
		"Archive":            c.Archive(ctx, oppID, leversim.ReasonWithdrew, ""),
		"UploadFile":         uploadErr,
		"ListArchiveReasons": listErr,
	} {
		if !errors.Is(err, lever.ErrAccessRevoked) || lever.IsRetryable(err) {
			t.Errorf("%s: got %v, want ErrAccessRevoked", name, err)
		}
	}
}
