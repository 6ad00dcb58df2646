package temporalpg

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/assessbridge/assessbridge/test/journeytest"
	"github.com/assessbridge/assessbridge/workflows"
)

// TestJourneysSurviveRestartOnPostgreSQL: on a Temporal server persisting to PostgreSQL (the
// store in its own database beside Temporal's, as in the compose stack) one candidate goes
// through the whole journey and another is invited; the server stops and starts again (the
// schema setup running again first, as at every `docker compose up`); the waiting candidate
// then finishes, the first one's history is event for event what it was and still replays for
// the status query, and both journeys are found by their search attributes.
func TestJourneysSurviveRestartOnPostgreSQL(t *testing.T) {
	dsn := os.Getenv("ASSESSBRIDGE_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("ASSESSBRIDGE_TEST_POSTGRES_DSN not set")
	}
	ctx := context.Background()
	srv, err := Start(ctx, Options{DSN: dsn, DropOnStop: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Error(err)
		}
	})
	storeDB := freshStore(t, dsn, srv)

	s := journeytest.Start(t, journeytest.Options{
		TemporalAddress: srv.FrontendAddress(), Namespace: srv.Namespace(), StoreDSN: withDatabase(t, dsn, storeDB),
	})
	ada := journeytest.Candidate{OpportunityID: "opp-ada", Name: "Ada Lovelace", Email: "ada@example.com", Score: 42, MaxScore: 60}
	grace := journeytest.Candidate{OpportunityID: "opp-grace", Name: "Grace Hopper", Email: "grace@example.com", Score: 57, MaxScore: 60}

	if res := s.Journey(t, ada); res.Step != workflows.StepCompleted || res.Rating != 3 {
		t.Fatalf("ada before the restart: got %s rated %d, want completed rated 3", res.Step, res.Rating)
	}
	adaBefore := history(t, s, ada.OpportunityID)
	inv := s.Begin(t, grace)

	if err := srv.Restart(ctx); err != nil {
		t.Fatal(err)
	}

	if res := s.Finish(t, grace, inv); res.Step != workflows.StepCompleted || res.Rating != 4 {
		t.Errorf("grace after the restart: got %s rated %d, want completed rated 4", res.Step, res.Rating)
	}
	if adaAfter := history(t, s, ada.OpportunityID); !slices.Equal(adaAfter, adaBefore) {
		t.Errorf("ada's history after the restart: got %d events %v, want the %d from before %v", len(adaAfter), adaAfter, len(adaBefore), adaBefore)
	}
	if st := queryStatus(t, s, ada.OpportunityID); st.Step != workflows.StepCompleted || st.Rating != 3 {
		t.Errorf("ada's status query after the restart: got %s rated %d, want completed rated 3", st.Step, st.Rating)
	}
	query := fmt.Sprintf("%s = '%s' AND %s = '%s'", workflows.AttrAccount.GetName(), s.Account, workflows.AttrStatus.GetName(), workflows.StepCompleted)
	if n := countEventually(t, s.Temporal, srv.Namespace(), query, 2); n != 2 {
		t.Errorf("visibility %q: got %d workflows, want 2", query, n)
	}
}

// freshStore creates assessbridge's store database beside the server's and drops it when the
// test ends, before the server's (cleanups run last first).
func freshStore(t *testing.T, dsn string, srv *Server) string {
	t.Helper()
	name := strings.TrimSuffix(srv.Databases()[0], "_temporal") + "_store"
	if err := CreateDatabases(dsn, name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := DropDatabases(dsn, name); err != nil {
			t.Error(err)
		}
	})
	return name
}

// withDatabase is dsn naming another database on the same server.
func withDatabase(t *testing.T, dsn, db string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + db
	return u.String()
}

// history is the event types of the opportunity's workflow, in order.
func history(t *testing.T, s *journeytest.Stack, opportunityID string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []string
	it := s.Temporal.GetWorkflowHistory(ctx, workflows.WorkflowID(s.Account, opportunityID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", opportunityID, err)
		}
		out = append(out, ev.GetEventType().String())
	}
	if len(out) == 0 || out[len(out)-1] != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED.String() {
		t.Fatalf("history of %s: got %d events ending %v, want a completed workflow", opportunityID, len(out), out[max(len(out)-1, 0):])
	}
	return out
}

func queryStatus(t *testing.T, s *journeytest.Stack, opportunityID string) workflows.Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := s.Temporal.QueryWorkflow(ctx, workflows.WorkflowID(s.Account, opportunityID), "", workflows.QueryStatus)
	if err != nil {
		t.Fatalf("query %s: %v", opportunityID, err)
	}
	var st workflows.Status
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// countEventually counts the workflows matching query, waiting (visibility lags a little) until
// there are want of them or 30 s pass.
func countEventually(t *testing.T, c client.Client, ns, query string, want int) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: ns, Query: query})
		n := len(resp.GetExecutions())
		if err == nil && n == want {
			return n
		}
		select {
		case <-ctx.Done():
			if err != nil {
				t.Errorf("list %q: %v", query, err)
			}
			return n
		case <-time.After(100 * time.Millisecond):
		}
	}
}
