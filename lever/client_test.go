package lever_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestNewValidatesOptions(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})
	tests := []struct {
		name    string
		base    string
		opts    []lever.Option
		wantErr bool
	}{
		{"token source", lever.ProductionBaseURL, []lever.Option{lever.WithTokenSource(ts)}, false},
		{"api key", lever.SandboxBaseURL, []lever.Option{lever.WithAPIKey("k")}, false},
		{"trailing slash tolerated", lever.ProductionBaseURL + "/", []lever.Option{lever.WithAPIKey("k")}, false},
		{"no auth", lever.ProductionBaseURL, nil, true},
		{"both auths", lever.ProductionBaseURL, []lever.Option{lever.WithTokenSource(ts), lever.WithAPIKey("k")}, true},
		{"empty api key", lever.ProductionBaseURL, []lever.Option{lever.WithAPIKey("")}, true},
		{"nil token source", lever.ProductionBaseURL, []lever.Option{lever.WithTokenSource(nil)}, true},
		{"relative url", "api.lever.co/v1", []lever.Option{lever.WithAPIKey("k")}, true},
		{"not http", "ftp://api.lever.co/v1", []lever.Option{lever.WithAPIKey("k")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lever.New(tt.base, tt.opts...)
			if (err != nil) != tt.wantErr {
				t.Errorf("New error: got %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// TestRequestShape checks the headers and URL every request carries.
func TestRequestShape(t *testing.T) {
	type seen struct{ path, query, auth, accept, ua, ctype string }
	var (
		mu  sync.Mutex
		got []seen
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, seen{r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Authorization"),
			r.Header.Get("Accept"), r.Header.Get("User-Agent"), r.Header.Get("Content-Type")})
		w.Write([]byte(`{"data":{}}`))
	}))
	defer srv.Close()

	c, err := lever.New(srv.URL+"/v1/", lever.WithAPIKey("key-1"), lever.WithUserAgent("ab-test"))
	if err != nil {
		t.Fatalf("New: got %v, want nil", err)
	}
	ctx := context.Background()
	if _, err := c.GetOpportunity(ctx, "a/b c"); err != nil {
		t.Fatalf("GetOpportunity: got %v, want nil", err)
	}
	if err := c.AddTags(ctx, "o1", []string{"t"}, ""); err != nil {
		t.Fatalf("AddTags: got %v, want nil", err)
	}
	if err := c.RemoveTags(ctx, "o1", []string{"t"}, "u 1"); err != nil {
		t.Fatalf("RemoveTags: got %v, want nil", err)
	}
	mu.Lock()
	defer mu.Unlock()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("key-1:"))
	want := []seen{
		{"/v1/opportunities/a%2Fb%20c", "expand=applications", basic, "application/json", "ab-test", ""},
		{"/v1/opportunities/o1/addTags", "", basic, "application/json", "ab-test", "application/json"},
		{"/v1/opportunities/o1/removeTags", "perform_as=u+1", basic, "application/json", "ab-test", "application/json"},
	}
	if len(got) != len(want) {
		t.Fatalf("requests: got %d, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestAuthModes(t *testing.T) {
	f := newFixture(t, leversim.Options{})
	tests := []struct {
		name        string
		opt         lever.Option
		wantRevoked bool
	}{
		{"bearer token", lever.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})), false},
		{"api key as basic user", lever.WithAPIKey(token), false},
		{"unknown bearer token", lever.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "revoked"})), true},
		{"unknown api key", lever.WithAPIKey("nope"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := lever.New(f.srv.URL, tt.opt)
			if err != nil {
				t.Fatalf("New: got %v, want nil", err)
			}
			_, err = c.GetOpportunity(context.Background(), oppID)
			if got := errors.Is(err, lever.ErrAccessRevoked); got != tt.wantRevoked {
				t.Fatalf("errors.Is(%v, ErrAccessRevoked): got %v, want %v", err, got, tt.wantRevoked)
			}
			if tt.wantRevoked && lever.IsRetryable(err) {
				t.Errorf("IsRetryable(revoked): got true, want false")
			}
		})
	}
}

// revokedSource fails like an oauth2 refresh of a revoked grant.
type revokedSource struct{}

func (revokedSource) Token() (*oauth2.Token, error) {
	return nil, &oauth2.RetrieveError{ErrorCode: "invalid_grant", Response: &http.Response{StatusCode: 400}, Body: []byte("secret-ish body")}
}

func TestRevokedRefreshIsAccessRevoked(t *testing.T) {
	f := newFixture(t, leversim.Options{})
	c, err := lever.New(f.srv.URL, lever.WithTokenSource(revokedSource{}))
	if err != nil {
		t.Fatalf("New: got %v, want nil", err)
	}
	_, err = c.GetOpportunity(context.Background(), oppID)
	if !errors.Is(err, lever.ErrAccessRevoked) || lever.IsRetryable(err) {
		t.Fatalf("got %v (retryable %v), want ErrAccessRevoked, not retryable", err, lever.IsRetryable(err))
	}
	if strings.Contains(err.Error(), "secret-ish") {
		t.Errorf("error %q: got token endpoint body, want it left out", err)
	}
	if n := f.sim.Calls(acct).Total; n != 0 {
		t.Errorf("calls reaching Lever: got %d, want 0", n)
	}
}

func TestStatusErrors(t *testing.T) {
	f := newFixture(t, leversim.Options{})
	ctx := context.Background()
	tests := []struct {
		name      string
		fault     leversim.Fault
		call      func() error
		wantIs    error
		wantRetry bool
	}{
		{"404 opportunity", leversim.Fault{}, func() error { _, err := f.client.GetOpportunity(ctx, "missing"); return err }, lever.ErrNotFound, false},
		{"404 posting", leversim.Fault{}, func() error { _, err := f.client.GetPosting(ctx, "missing"); return err }, lever.ErrNotFound, false},
		{"403 forbidden", leversim.Fault{Status: 403}, func() error { _, err := f.client.GetOpportunity(ctx, oppID); return err }, lever.ErrMissingScope, false},
		{"401 unauthorized", leversim.Fault{Status: 401}, func() error { _, err := f.client.ListStages(ctx); return err }, lever.ErrAccessRevoked, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault.Status != 0 {
				f.sim.InjectFault(tt.fault)
			}
			err := tt.call()
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("error: got %v, want %v", err, tt.wantIs)
			}
			if got := lever.IsRetryable(err); got != tt.wantRetry {
				t.Errorf("IsRetryable: got %v, want %v", got, tt.wantRetry)
			}
		})
	}
}

func TestAPIErrorCarriesLeverBody(t *testing.T) {
	f := newFixture(t, leversim.Options{})
	_, err := f.client.AddNote(context.Background(), oppID, lever.NewNote{Value: "x"}, "no-such-user")
	apiErr, ok := errors.AsType[*lever.APIError](err)
	if !ok {
		t.Fatalf("error: got %T %v, want *APIError", err, err)
	}
	want := lever.APIError{StatusCode: 400, Code: "BadRequestError", Method: "POST", Path: "/opportunities/opp-1/notes"}
	if apiErr.StatusCode != want.StatusCode || apiErr.Code != want.Code || apiErr.Method != want.Method || apiErr.Path != want.Path {
		t.Errorf("APIError: got %+v, want %+v", *apiErr, want)
	}
	if apiErr.Message == "" {
		t.Errorf("Message: got empty, want Lever's message")
	}
	if strings.Contains(err.Error(), "perform_as=") || strings.Contains(err.Error(), "no-such-user") {
		t.Errorf("error %q: got query string, want path only", err)
	}
	if lever.IsRetryable(err) || f.route("POST /opportunities/:id/notes") != 1 {
		t.Errorf("400: got retryable %v after %d calls, want not retryable after 1", lever.IsRetryable(err), f.route("POST /opportunities/:id/notes"))
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>bad gateway from casey@example.com</html>", http.StatusBadRequest)
	}))
	defer srv.Close()
	c, _ := lever.New(srv.URL, lever.WithAPIKey("k"))
	_, err := c.GetOpportunity(context.Background(), "o1")
	apiErr, ok := errors.AsType[*lever.APIError](err)
	if !ok || apiErr.StatusCode != 400 || apiErr.Code != "" {
		t.Fatalf("error: got %#v, want APIError 400 without code", err)
	}
	if strings.Contains(err.Error(), "example.com") {
		t.Errorf("error %q: got the raw body, want it left out", err)
	}
}
