package activities_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/accounts"
	"github.com/assessbridge/assessbridge/activities"
	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
)

// oauthFixture is an account connected through the simulator's OAuth with the given scopes,
// its tokens refreshed and saved by leverauth as in production.
type oauthFixture struct {
	fixture
	platformURL string
}

func newOAuthFixture(t *testing.T, scopes []string) *oauthFixture {
	t.Helper()
	ctx := context.Background()
	const clientID, clientSecret, redirect = "bridge", "bridge-secret", "https://bridge.example/admin/oauth/callback"
	ls := leversim.New(leversim.Options{OAuthClientID: clientID, OAuthClientSecret: clientSecret})
	lsrv := httptest.NewServer(ls)
	t.Cleanup(lsrv.Close)
	ls.AddAccount(acct, "static-token")
	ls.AddUser(acct, leversim.User{ID: "u-1", Name: "Rita", Email: "rita@acme.example"})
	ls.AddOpportunity(acct, leversim.Opportunity{ID: "o-1", Name: "Casey", Emails: []string{"casey@x.example"}})

	callbacks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(callbacks.Close)
	ps := platformsim.New(platformsim.Options{APIKey: "pk", CallbackURL: callbacks.URL, CallbackSecret: "s"})
	psrv := httptest.NewServer(ps)
	t.Cleanup(psrv.Close)
	ps.AddAssessment("as-go", "Go Test")
	pc, err := assessment.NewClient(psrv.URL, "pk")
	must(t, err)

	key := make([]byte, store.KeySize)
	_, _ = rand.Read(key)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), key)
	must(t, err)
	t.Cleanup(func() { _ = st.Close() })
	must(t, st.PutAccount(ctx, store.Account{ID: acct, Status: store.StatusConnected, LeverBaseURL: lsrv.URL, PerformAs: "u-1"}))

	cfg := leverauth.Config{ClientID: clientID, ClientSecret: clientSecret, AuthURL: lsrv.URL + "/authorize",
		TokenURL: lsrv.URL + "/oauth/token", RedirectURL: redirect, Scopes: scopes}
	code, err := ls.Authorize(acct, clientID, redirect, strings.Join(scopes, " "), "state", "")
	must(t, err)
	tok, err := cfg.Finish(ctx, code, "")
	must(t, err)
	must(t, st.SaveTokens(ctx, acct, tok.AccessToken, tok.RefreshToken, tok.Expiry))

	clients := accounts.New(st, accounts.Config{Refreshing: func(id string) oauth2.TokenSource { return cfg.TokenSource(st, id) }})
	acts, err := activities.New(activities.AccountClients(clients), pc, st, activities.Config{CallbackURL: callbacks.URL})
	must(t, err)
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	return &oauthFixture{fixture: fixture{acts: acts, lever: ls, platform: ps, store: st, env: env}, platformURL: psrv.URL}
}

// submittedReport invites the candidate and submits the assessment; it returns the input that
// attaches the platform's report.
func (f *oauthFixture) submittedReport(t *testing.T) activities.ReportInput {
	t.Helper()
	v, err := f.env.ExecuteActivity(f.acts.Invite, activities.InviteInput{IdempotencyKey: "lever/acme/o-1", Reference: "lever/acme/o-1",
		AssessmentID: "as-go", CandidateName: "Casey", CandidateEmail: "casey@x.example"})
	must(t, err)
	var inv activities.InviteResult
	must(t, v.Get(&inv))
	score, maxScore := 80.0, 100.0
	must(t, f.platform.Submit(context.Background(), inv.InvitationID, assessment.Result{Score: &score, MaxScore: &maxScore}))
	return activities.ReportInput{AccountID: acct, OpportunityID: "o-1", Title: "Go Test", Marker: "m-1",
		ReportFileURL: f.platformURL + "/v1/invitations/" + inv.InvitationID + "/report.pdf"}
}

func without(scopes []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(scopes), func(s string) bool { return s == drop })
}

// TestLeverAuthFailures: a missing scope fails the one call, names the scope and leaves the
// account connected (the scope recorded for the admin page); an access token Lever dropped is
// refreshed once and the call succeeds; a revoked grant disconnects the account.
func TestLeverAuthFailures(t *testing.T) {
	tags := activities.TagInput{AccountID: acct, OpportunityID: "o-1", Tags: []string{"Go Test - Invited"}}
	tests := []struct {
		name   string
		scopes []string
		lever  func(ls *leversim.Server) // what Lever does before the call
		attach bool                      // AttachReport (else AddTags)

		wantType        string // "" for success
		wantMessage     string
		wantStatus      string
		wantMissing     []string
		wantRefreshes   int
		tagsStillWork   bool
		wantReportFiles int
	}{
		{name: "upload without files:write:admin", scopes: without(leverauth.Scopes(), lever.ScopeFilesWrite), attach: true,
			wantType: activities.ErrTypeMissingScope, wantMessage: "reconnect the account in the admin page to grant files:write:admin",
			wantStatus: store.StatusConnected, wantMissing: []string{lever.ScopeFilesWrite}, tagsStillWork: true},
		{name: "upload with every scope", scopes: leverauth.Scopes(), attach: true,
			wantStatus: store.StatusConnected, wantReportFiles: 1},
		{name: "access token dropped early", scopes: leverauth.Scopes(), lever: func(ls *leversim.Server) { ls.ExpireAccessTokens(acct) },
			wantStatus: store.StatusConnected, wantRefreshes: 1},
		{name: "upload after the access token was dropped", scopes: leverauth.Scopes(), attach: true,
			lever:      func(ls *leversim.Server) { ls.ExpireAccessTokens(acct) },
			wantStatus: store.StatusConnected, wantRefreshes: 1, wantReportFiles: 1},
		{name: "grant revoked", scopes: leverauth.Scopes(), lever: func(ls *leversim.Server) { ls.RevokeAuthorizations(acct) },
			wantType: activities.ErrTypeDisconnected, wantMessage: "lever access revoked", wantStatus: store.StatusDisconnected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newOAuthFixture(t, tt.scopes)
			var in any = tags
			activity := any(f.acts.AddTags)
			if tt.attach {
				in, activity = f.submittedReport(t), f.acts.AttachReport
			}
			if tt.lever != nil {
				tt.lever(f.lever)
			}
			_, err := f.env.ExecuteActivity(activity, in)
			var appErr *temporal.ApplicationError
			switch {
			case tt.wantType == "" && err != nil:
				t.Fatalf("got error %v, want success", err)
			case tt.wantType != "" && (!errors.As(err, &appErr) || appErr.Type() != tt.wantType || !appErr.NonRetryable()):
				t.Fatalf("got %v, want a non-retryable %s", err, tt.wantType)
			case tt.wantType != "" && !strings.Contains(appErr.Error(), tt.wantMessage):
				t.Errorf("message: got %q, want it to contain %q", appErr.Error(), tt.wantMessage)
			}
			ctx := context.Background()
			a, err := f.store.Account(ctx, acct)
			must(t, err)
			if a.Status != tt.wantStatus {
				t.Errorf("account status: got %q, want %q", a.Status, tt.wantStatus)
			}
			missing, err := f.store.MissingScopes(ctx, acct)
			must(t, err)
			if !slices.Equal(missing, tt.wantMissing) && len(missing)+len(tt.wantMissing) > 0 {
				t.Errorf("missing scopes recorded: got %q, want %q", missing, tt.wantMissing)
			}
			if _, n := f.lever.OAuthStats(acct); n != tt.wantRefreshes {
				t.Errorf("refreshes at Lever: got %d, want %d", n, tt.wantRefreshes)
			}
			snap, _ := f.lever.Snapshot(acct, "o-1")
			if len(snap.Files) != tt.wantReportFiles {
				t.Errorf("files on the opportunity: got %d, want %d", len(snap.Files), tt.wantReportFiles)
			}
			if tt.tagsStillWork {
				if _, err := f.env.ExecuteActivity(f.acts.AddTags, tags); err != nil {
					t.Errorf("AddTags after the missing scope: got %v, want success (the account stays usable)", err)
				}
				v, err := f.env.ExecuteActivity(f.acts.AccountConnected, acct)
				must(t, err)
				var connected bool
				if must(t, v.Get(&connected)); !connected {
					t.Errorf("AccountConnected after the missing scope: got false, want true")
				}
			}
		})
	}
}
