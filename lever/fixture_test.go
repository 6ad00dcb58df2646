package lever_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

const (
	acct      = "acct-1"
	token     = "token-1"
	userID    = "user-1"
	userEmail = "recruiter@example.com"
	oppID     = "opp-1"
	postingID = "posting-1"
)

type fixture struct {
	sim    *leversim.Server
	srv    *httptest.Server
	client *lever.Client
}

// newFixture starts a seeded simulator and a client with fast retries; opts override.
func newFixture(t *testing.T, simOpts leversim.Options, opts ...lever.Option) *fixture {
	t.Helper()
	sim := leversim.New(simOpts)
	sim.AddAccount(acct, token)
	sim.AddUser(acct, leversim.User{ID: userID, Name: "Rita Recruiter", Email: userEmail})
	sim.AddStage(acct, "stage-new", "New lead")
	sim.AddStage(acct, "stage-assess", "Assessment")
	sim.AddPosting(acct, leversim.Posting{ID: postingID, Text: "Backend Engineer", Tags: []string{"asmt-42"}, OwnerID: userID})
	sim.AddOpportunity(acct, leversim.Opportunity{
		ID: oppID, Name: "Casey Candidate", Emails: []string{"casey@example.com"},
		Tags: []string{"Go"}, StageID: "stage-new", PostingID: postingID, OwnerID: userID,
	})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	base := append([]lever.Option{
		lever.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})),
		lever.WithRetry(5, 10*time.Millisecond, 100*time.Millisecond),
	}, opts...)
	c, err := lever.New(srv.URL, base...)
	if err != nil {
		t.Fatalf("lever.New: got error %v, want nil", err)
	}
	return &fixture{sim: sim, srv: srv, client: c}
}

// route returns how often the simulator saw route.
func (f *fixture) route(route string) int { return f.sim.Calls(acct).ByRoute[route] }
