package lever_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// seedStages adds opp-a1..opp-a5 to stage-assess (opp-a5 archived) and opp-n2 to stage-new,
// next to the fixture's opp-1 (stage-new, posting-1).
func seedStages(t *testing.T, f *fixture) {
	t.Helper()
	for i := 1; i <= 5; i++ {
		f.sim.AddOpportunity(acct, leversim.Opportunity{ID: fmt.Sprintf("opp-a%d", i), StageID: "stage-assess", PostingID: postingID})
	}
	f.sim.AddOpportunity(acct, leversim.Opportunity{ID: "opp-n2", StageID: "stage-new"})
	if err := f.sim.Archive(context.Background(), acct, "opp-a5", "reason-hired-elsewhere"); err != nil {
		t.Fatalf("Archive: got %v, want nil", err)
	}
}

func TestListOpportunities(t *testing.T) {
	f := newFixture(t, leversim.Options{Rate: -1, PageSize: 2}, lever.WithLimiter(nil))
	seedStages(t, f)
	tests := []struct {
		name      string
		filter    lever.OpportunityFilter
		want      []string
		wantPages int
	}{
		{"active in one stage", lever.OpportunityFilter{StageIDs: []string{"stage-assess"}}, []string{"opp-a1", "opp-a2", "opp-a3", "opp-a4"}, 2},
		{"archived included", lever.OpportunityFilter{StageIDs: []string{"stage-assess"}, IncludeArchived: true}, []string{"opp-a1", "opp-a2", "opp-a3", "opp-a4", "opp-a5"}, 3},
		{"two stages", lever.OpportunityFilter{StageIDs: []string{"stage-new", "stage-assess"}}, []string{"opp-1", "opp-a1", "opp-a2", "opp-a3", "opp-a4", "opp-n2"}, 3},
		{"every active", lever.OpportunityFilter{}, []string{"opp-1", "opp-a1", "opp-a2", "opp-a3", "opp-a4", "opp-n2"}, 3},
		{"stage with nobody in it", lever.OpportunityFilter{StageIDs: []string{"stage-none"}}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.route("GET /opportunities")
			opps, err := f.client.ListOpportunities(context.Background(), tt.filter)
			if err != nil {
				t.Fatalf("ListOpportunities: got %v, want nil", err)
			}
			var got []string
			for _, o := range opps {
				got = append(got, o.ID)
			}
			slices.Sort(got)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ids: got %v, want %v", got, tt.want)
			}
			if pages := f.route("GET /opportunities") - before; pages != tt.wantPages {
				t.Errorf("pages: got %d, want %d", pages, tt.wantPages)
			}
		})
	}
}

func TestListOpportunitiesDecodes(t *testing.T) {
	f := newFixture(t, leversim.Options{Rate: -1}, lever.WithLimiter(nil))
	seedStages(t, f)
	opps, err := f.client.ListOpportunities(context.Background(), lever.OpportunityFilter{StageIDs: []string{"stage-assess"}, IncludeArchived: true})
	if err != nil {
		t.Fatalf("ListOpportunities: got %v, want nil", err)
	}
	byID := map[string]lever.Opportunity{}
	for _, o := range opps {
		byID[o.ID] = o
	}
	a1, a5 := byID["opp-a1"], byID["opp-a5"]
	if a1.StageID != "stage-assess" || a1.Archived != nil || fmt.Sprint(a1.PostingIDs()) != "["+postingID+"]" {
		t.Errorf("opp-a1: got stage %q archived %v postings %v, want stage-assess, nil, [%s]", a1.StageID, a1.Archived, a1.PostingIDs(), postingID)
	}
	if a5.Archived == nil || a5.Archived.Reason != "reason-hired-elsewhere" || a5.Archived.ArchivedAt == 0 {
		t.Errorf("opp-a5 archived: got %+v, want reason reason-hired-elsewhere with a time", a5.Archived)
	}
}

// TestListOpportunitiesQuery checks the wire query: stage_id repeated, archived=false only
// for active-only lists, applications expanded, Lever's largest page.
func TestListOpportunitiesQuery(t *testing.T) {
	sim := leversim.New(leversim.Options{Rate: -1})
	sim.AddAccount(acct, token)
	var mu sync.Mutex
	var seen []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Query())
		mu.Unlock()
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := lever.New(srv.URL, lever.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})), lever.WithLimiter(nil))
	if err != nil {
		t.Fatalf("lever.New: got %v, want nil", err)
	}
	tests := []struct {
		name   string
		filter lever.OpportunityFilter
		want   url.Values
	}{
		{"active in stages", lever.OpportunityFilter{StageIDs: []string{"s1", "s2"}},
			url.Values{"stage_id": {"s1", "s2"}, "archived": {"false"}, "expand": {"applications"}, "limit": {"100"}}},
		{"with archived", lever.OpportunityFilter{StageIDs: []string{"s1"}, IncludeArchived: true},
			url.Values{"stage_id": {"s1"}, "expand": {"applications"}, "limit": {"100"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			if _, err := c.ListOpportunities(context.Background(), tt.filter); err != nil {
				t.Fatalf("ListOpportunities: got %v, want nil", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(seen) != 1 || seen[0].Encode() != tt.want.Encode() {
				t.Errorf("queries: got %v, want [%v]", seen, tt.want)
			}
		})
	}
}

func TestListOpportunitiesEmptyStageID(t *testing.T) {
	f := newFixture(t, leversim.Options{Rate: -1}, lever.WithLimiter(nil))
	_, err := f.client.ListOpportunities(context.Background(), lever.OpportunityFilter{StageIDs: []string{"stage-assess", ""}})
	if err == nil {
		t.Fatal("ListOpportunities with an empty stage id: got nil error, want one")
	}
	if n := f.route("GET /opportunities"); n != 0 {
		t.Errorf("requests: got %d, want 0", n)
	}
}
