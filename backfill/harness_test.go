package backfill_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"go.temporal.io/server/temporaltest"
	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/namespace"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

const (
	token       = "lever-token"
	stageAssess = "stage-assess" // trigger
	stageOnsite = "stage-onsite" // trigger
	stageNew    = "stage-new"    // not a trigger
	// noWorkerQueue is where backfilled workflows go: no worker polls it, so they stay running.
	noWorkerQueue = "backfill-test-no-worker"
	// doneQueue has a worker whose CandidateAssessment returns at once, to make completed runs.
	doneQueue = "backfill-test-done"
)

// tsrv is the package's Temporal server: starting one costs a second or two.
var tsrv *temporaltest.TestServer

func TestMain(m *testing.M) {
	tsrv = temporaltest.NewServer(temporaltest.WithBaseClientOptions(client.Options{
		Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := namespace.RegisterSearchAttributes(ctx, tsrv.GetDefaultClient(), tsrv.GetDefaultNamespace())
	cancel()
	code := 1
	if err != nil {
		fmt.Fprintln(os.Stderr, "register search attributes:", err)
	} else {
		tsrv.NewWorker(doneQueue, func(r worker.Registry) {
			r.RegisterWorkflowWithOptions(func(workflow.Context, workflows.Input) (workflows.Result, error) {
				return workflows.Result{Step: workflows.StepCompleted}, nil
			}, workflow.RegisterOptions{Name: workflows.WorkflowName})
		})
		code = m.Run()
	}
	tsrv.Stop()
	os.Exit(code)
}

// candidate seeds one opportunity; names and emails are there to prove they are never printed.
type candidate struct {
	id, stage string
	archived  bool
}

// env is one Lever account (unique per test, so workflow ids never collide) in the simulator.
type env struct {
	t     *testing.T
	acct  store.Account
	sim   *leversim.Server
	lever *lever.Client
	tc    client.Client
}

// newEnv seeds an account whose trigger stages are stage-assess and stage-onsite. wrap, when
// given, stands between the client and the simulator.
func newEnv(t *testing.T, cands []candidate, wrap ...func(http.Handler) http.Handler) *env {
	t.Helper()
	acctID := strings.NewReplacer("/", "-", " ", "-").Replace(strings.ToLower(t.Name()))
	sim := leversim.New(leversim.Options{Rate: -1, PageSize: 3}) // small pages: listing must follow them
	sim.AddAccount(acctID, token)
	sim.AddStage(acctID, stageNew, "New lead")
	sim.AddStage(acctID, stageAssess, "Assessment")
	sim.AddStage(acctID, stageOnsite, "Onsite")
	sim.AddPosting(acctID, leversim.Posting{ID: "posting-1", Text: "Backend Engineer"})
	for _, c := range cands {
		sim.AddOpportunity(acctID, leversim.Opportunity{
			ID: c.id, Name: "Name Of " + c.id, Emails: []string{c.id + "@candidates.example"},
			StageID: c.stage, PostingID: "posting-1",
		})
		if c.archived {
			if err := sim.Archive(context.Background(), acctID, c.id, "reason-withdrew"); err != nil {
				t.Fatalf("Archive %s: got %v, want nil", c.id, err)
			}
		}
	}
	var h http.Handler = sim
	for _, w := range wrap {
		h = w(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	lc, err := lever.New(srv.URL, lever.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})),
		lever.WithRetry(2, 10*time.Millisecond, 50*time.Millisecond))
	if err != nil {
		t.Fatalf("lever.New: got %v, want nil", err)
	}
	return &env{
		t: t, sim: sim, lever: lc, tc: tsrv.GetDefaultClient(),
		acct: store.Account{ID: acctID, Status: store.StatusConnected, TriggerStages: []string{stageAssess, stageOnsite}},
	}
}

func (e *env) id(opp string) string { return workflows.WorkflowID(e.acct.ID, opp) }

// describe returns the opportunity's latest run id and status; ok false when none exists.
func (e *env) describe(opp string) (runID string, status enumspb.WorkflowExecutionStatus, ok bool) {
	e.t.Helper()
	desc, err := e.tc.DescribeWorkflowExecution(context.Background(), e.id(opp), "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return "", 0, false
	}
	if err != nil {
		e.t.Fatalf("describe %s: got %v, want nil or not found", opp, err)
	}
	info := desc.GetWorkflowExecutionInfo()
	return info.GetExecution().GetRunId(), info.GetStatus(), true
}

// complete runs the opportunity's CandidateAssessment to a successful end.
func (e *env) complete(opp string) string {
	e.t.Helper()
	ctx := context.Background()
	run, err := e.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: e.id(opp), TaskQueue: doneQueue},
		workflows.WorkflowName, workflows.Input{AccountID: e.acct.ID, OpportunityID: opp})
	if err != nil {
		e.t.Fatalf("start %s: got %v, want nil", opp, err)
	}
	if err := run.Get(ctx, nil); err != nil {
		e.t.Fatalf("run %s: got %v, want it completed", opp, err)
	}
	return run.GetRunID()
}

// terminate starts the opportunity's workflow on a queue nobody polls and terminates it.
func (e *env) terminate(opp string) {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: e.id(opp), TaskQueue: noWorkerQueue},
		workflows.WorkflowName, workflows.Input{AccountID: e.acct.ID, OpportunityID: opp}); err != nil {
		e.t.Fatalf("start %s: got %v, want nil", opp, err)
	}
	if err := e.tc.TerminateWorkflow(ctx, e.id(opp), "", "test"); err != nil {
		e.t.Fatalf("terminate %s: got %v, want nil", opp, err)
	}
}

// startInput decodes the input the opportunity's latest run was started with.
func (e *env) startInput(opp string) workflows.Input {
	e.t.Helper()
	it := e.tc.GetWorkflowHistory(context.Background(), e.id(opp), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	ev, err := it.Next()
	if err != nil {
		e.t.Fatalf("history of %s: got %v, want events", opp, err)
	}
	var in workflows.Input
	if err := converter.GetDefaultDataConverter().FromPayloads(ev.GetWorkflowExecutionStartedEventAttributes().GetInput(), &in); err != nil {
		e.t.Fatalf("decode input of %s: got %v, want nil", opp, err)
	}
	return in
}

// keyword reads a Keyword search attribute of the opportunity's workflow.
func (e *env) keyword(opp, name string) string {
	e.t.Helper()
	desc, err := e.tc.DescribeWorkflowExecution(context.Background(), e.id(opp), "")
	if err != nil {
		e.t.Fatalf("describe %s: got %v, want nil", opp, err)
	}
	var v string
	p := desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()[name]
	if p == nil || converter.GetDefaultDataConverter().FromPayload(p, &v) != nil {
		return ""
	}
	return v
}
