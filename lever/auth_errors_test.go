package lever_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// renewingSource is a lever.TokenRejecter that records the tokens it was told Lever refused.
type renewingSource struct {
	mu       sync.Mutex
	rejected []string
}

func (s *renewingSource) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: token, TokenType: "Bearer"}, nil
}

func (s *renewingSource) TokenRejected(access string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected = append(s.rejected, access)
}

// TestUnauthorizedRenewsTokenOnce: a 401 to a token from a TokenRejecter renews it and sends the
// request once more, also a note that is never repeated after an unknown outcome; a second 401,
// or a 401 with credentials that cannot be renewed, is ErrAccessRevoked at once.
func TestUnauthorizedRenewsTokenOnce(t *testing.T) {
	tests := []struct {
		name         string
		renewing     bool // token from a TokenRejecter; else the static-token fixture client
		apiKey       bool
		unauthorized int // 401s Lever answers before it accepts the note
		wantErr      bool
		wantAttempts int
		wantRejected int
	}{
		{name: "renewed after one 401", renewing: true, unauthorized: 1, wantAttempts: 2, wantRejected: 1},
		{name: "401 again after renewing", renewing: true, unauthorized: 2, wantErr: true, wantAttempts: 2, wantRejected: 1},
		{name: "static token", unauthorized: 1, wantErr: true, wantAttempts: 1},
		{name: "api key", apiKey: true, unauthorized: 1, wantErr: true, wantAttempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, leversim.Options{})
			src := &renewingSource{}
			c := f.client
			switch {
			case tt.renewing:
				c = mustClient(t, f.srv.URL, lever.WithTokenSource(src))
			case tt.apiKey:
				c = mustClient(t, f.srv.URL, lever.WithAPIKey(token))
			}
			f.sim.InjectFault(leversim.Fault{Method: "POST", PathContains: "/notes", Status: 401, Times: tt.unauthorized})

			_, err := c.AddNote(context.Background(), oppID, lever.NewNote{Value: "score 80%"}, "")
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("AddNote: got error %v, want error %t", err, tt.wantErr)
			}
			if err != nil && (!errors.Is(err, lever.ErrAccessRevoked) || errors.Is(err, lever.ErrMissingScope) || lever.IsRetryable(err)) {
				t.Errorf("AddNote: got %v, want ErrAccessRevoked, not retryable", err)
			}
			if n := f.route("POST /opportunities/:id/notes"); n != tt.wantAttempts {
				t.Errorf("note requests: got %d, want %d", n, tt.wantAttempts)
			}
			src.mu.Lock()
			rejected := slices.Clone(src.rejected)
			src.mu.Unlock()
			if len(rejected) != tt.wantRejected || slices.ContainsFunc(rejected, func(s string) bool { return s != token }) {
				t.Errorf("tokens reported rejected: got %q, want %d times the token sent", rejected, tt.wantRejected)
			}
			snap, _ := f.sim.Snapshot(acct, oppID)
			if want := map[bool]int{false: 1, true: 0}[tt.wantErr]; len(snap.Notes) != want {
				t.Errorf("notes on the opportunity: got %d, want %d", len(snap.Notes), want)
			}
		})
	}
}

func mustClient(t *testing.T, base string, opts ...lever.Option) *lever.Client {
	t.Helper()
	c, err := lever.New(base, opts...)
	if err != nil {
		t.Fatalf("lever.New: got %v, want nil", err)
	}
	return c
}

// TestForbiddenNamesScope: a 403 is ErrMissingScope naming the endpoint's scope, not a
// revocation, and is not retried.
func TestForbiddenNamesScope(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, path string
		call       func(c *lever.Client) error
		wantScope  string
	}{
		{"upload file", "/files", func(c *lever.Client) error {
			_, err := c.UploadFile(ctx, oppID, lever.NewFile{Name: "report.pdf", Data: []byte("%PDF")}, userID)
			return err
		}, lever.ScopeFilesWrite},
		{"list files", "/files", func(c *lever.Client) error { _, err := c.ListFiles(ctx, oppID); return err }, lever.ScopeFilesRead},
		{"list archive reasons", "/archive_reasons", func(c *lever.Client) error { _, err := c.ListArchiveReasons(ctx); return err },
			lever.ScopeArchiveReasonsRead},
		{"change stage", "/stage", func(c *lever.Client) error { return c.ChangeStage(ctx, oppID, "stage-assess", "") },
			lever.ScopeOpportunitiesWrite},
		{"list webhooks", "/webhooks", func(c *lever.Client) error { _, err := c.ListWebhooks(ctx); return err }, lever.ScopeWebhooksRead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, leversim.Options{})
			f.sim.InjectFault(leversim.Fault{PathContains: tt.path, Status: 403})
			err := tt.call(f.client)
			scope, forbidden := lever.MissingScope(err)
			if !errors.Is(err, lever.ErrMissingScope) || !forbidden || errors.Is(err, lever.ErrAccessRevoked) || lever.IsRetryable(err) {
				t.Fatalf("got %v, want ErrMissingScope, not revoked, not retryable", err)
			}
			if scope != tt.wantScope || !strings.Contains(err.Error(), tt.wantScope) {
				t.Errorf("scope: got %q in %q, want %q named", scope, err, tt.wantScope)
			}
			if n := f.sim.Calls(acct).Total; n != 1 {
				t.Errorf("requests: got %d, want 1", n)
			}
		})
	}
	if _, ok := lever.MissingScope(&lever.APIError{StatusCode: 401}); ok {
		t.Errorf("MissingScope(401): got true, want false")
	}
}

func TestScopeFor(t *testing.T) {
	tests := []struct{ method, path, want string }{
		{"POST", "/opportunities/abc/files", lever.ScopeFilesWrite},
		{"get", "/opportunities/abc/files?limit=100", lever.ScopeFilesRead},
		{"GET", "/opportunities/:id", lever.ScopeOpportunitiesRead},
		{"PUT", "/opportunities/a%2Fb/archived", lever.ScopeOpportunitiesWrite},
		{"DELETE", "/webhooks/w1", lever.ScopeWebhooksWrite},
		{"GET", "/tags", ""},
		{"DELETE", "/opportunities/abc", ""},
	}
	for _, tt := range tests {
		if got := lever.ScopeFor(tt.method, tt.path); got != tt.want {
			t.Errorf("ScopeFor(%s, %s): got %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}
