package backfill_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/assessbridge/assessbridge/backfill"
	"github.com/assessbridge/assessbridge/workflows"
)

// pipeline: three active candidates in the trigger stages, one archived there, one elsewhere.
var pipeline = []candidate{
	{id: "opp-1", stage: stageAssess},
	{id: "opp-2", stage: stageAssess},
	{id: "opp-3", stage: stageOnsite},
	{id: "opp-archived", stage: stageAssess, archived: true},
	{id: "opp-elsewhere", stage: stageNew},
}

// run backfills e's account and returns the report and the progress lines, sorted.
func (e *env) run(o backfill.Options) (backfill.Report, []string) {
	e.t.Helper()
	var out bytes.Buffer
	o.Out = &out
	rep, err := backfill.Run(context.Background(), e.lever, e.tc, noWorkerQueue, e.acct, o)
	if err != nil {
		e.t.Fatalf("Run: got %v, want nil", err)
	}
	e.checkNoPII(out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if out.Len() == 0 {
		lines = nil
	}
	slices.Sort(lines)
	return rep, lines
}

func (e *env) checkNoPII(out string) {
	e.t.Helper()
	if strings.Contains(out, "Name Of") || strings.Contains(out, "@") {
		e.t.Errorf("progress output: got %q, want ids only (no names or emails)", out)
	}
}

// TestRuns runs backfills one after another on one account: a dry run, an apply, a second
// apply and a dry run after it.
func TestRuns(t *testing.T) {
	e := newEnv(t, pipeline)
	steps := []struct {
		name      string
		opts      backfill.Options
		want      backfill.Report
		wantLines []string
	}{
		{"dry run", backfill.Options{Rate: 100},
			backfill.Report{Listed: 3, WouldStart: 3},
			[]string{"opp-1 stage-assess would start", "opp-2 stage-assess would start", "opp-3 stage-onsite would start"}},
		{"apply", backfill.Options{Apply: true, Rate: 100},
			backfill.Report{Listed: 3, Started: 3},
			[]string{"opp-1 stage-assess started", "opp-2 stage-assess started", "opp-3 stage-onsite started"}},
		{"apply again", backfill.Options{Apply: true, Rate: 100},
			backfill.Report{Listed: 3, AlreadyRunning: 3},
			[]string{"opp-1 stage-assess already running", "opp-2 stage-assess already running", "opp-3 stage-onsite already running"}},
		{"dry run after", backfill.Options{},
			backfill.Report{Listed: 3, AlreadyRunning: 3}, nil},
	}
	runIDs := map[string]string{}
	for i, st := range steps {
		rep, lines := e.run(st.opts)
		if rep != st.want {
			t.Errorf("%s: report got %+v, want %+v", st.name, rep, st.want)
		}
		if st.wantLines != nil && fmt.Sprint(lines) != fmt.Sprint(st.wantLines) {
			t.Errorf("%s: lines got %q, want %q", st.name, lines, st.wantLines)
		}
		for _, opp := range []string{"opp-1", "opp-2", "opp-3"} {
			runID, status, ok := e.describe(opp)
			switch {
			case i == 0 && ok:
				t.Errorf("%s: workflow for %s: got one, want none", st.name, opp)
			case i > 0 && (!ok || status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING):
				t.Errorf("%s: workflow for %s: got exists=%v status %v, want running", st.name, opp, ok, status)
			case i > 1 && runID != runIDs[opp]:
				t.Errorf("%s: run of %s: got %s, want %s unchanged", st.name, opp, runID, runIDs[opp])
			}
			runIDs[opp] = runID
		}
		for _, opp := range []string{"opp-archived", "opp-elsewhere"} {
			if _, _, ok := e.describe(opp); ok {
				t.Errorf("%s: workflow for %s: got one, want none", st.name, opp)
			}
		}
	}
}

// TestStartedLikeTheWebhook checks what a backfilled workflow is started with: the webhook's
// id, task queue, search attributes and input, the stage it was found in and a fresh time.
func TestStartedLikeTheWebhook(t *testing.T) {
	e := newEnv(t, pipeline)
	before := time.Now()
	if rep, _ := e.run(backfill.Options{Apply: true, Rate: 100}); rep.Started != 3 {
		t.Fatalf("started: got %d, want 3", rep.Started)
	}
	for _, tt := range []struct{ opp, stage string }{{"opp-1", stageAssess}, {"opp-3", stageOnsite}} {
		in := e.startInput(tt.opp)
		if in.AccountID != e.acct.ID || in.OpportunityID != tt.opp || in.TriggerStageID != tt.stage || in.AssessmentID != "" {
			t.Errorf("input of %s: got %+v, want account %s, opportunity %s, stage %s, no assessment", tt.opp, in, e.acct.ID, tt.opp, tt.stage)
		}
		if in.TriggeredAt.Before(before.Add(-time.Second)) || in.TriggeredAt.After(time.Now()) {
			t.Errorf("TriggeredAt of %s: got %v, want the backfill's time (after %v)", tt.opp, in.TriggeredAt, before)
		}
		attrs := map[string]string{
			workflows.AttrAccount.GetName():     e.acct.ID,
			workflows.AttrOpportunity.GetName(): tt.opp,
			workflows.AttrStatus.GetName():      workflows.StepResolving,
		}
		for name, want := range attrs {
			if got := e.keyword(tt.opp, name); got != want {
				t.Errorf("%s of %s: got %q, want %q", name, tt.opp, got, want)
			}
		}
	}
	desc, err := e.tc.DescribeWorkflowExecution(context.Background(), e.id("opp-2"), "")
	if err != nil {
		t.Fatalf("describe: got %v, want nil", err)
	}
	if got := desc.GetExecutionConfig().GetTaskQueue().GetName(); got != noWorkerQueue {
		t.Errorf("task queue: got %q, want %q", got, noWorkerQueue)
	}
	if got := desc.GetWorkflowExecutionInfo().GetType().GetName(); got != workflows.WorkflowName {
		t.Errorf("workflow type: got %q, want %q", got, workflows.WorkflowName)
	}
}

// TestFinishedJourneys: a completed journey is not re-invited; a terminated one starts again,
// as the webhook's reuse policy allows.
func TestFinishedJourneys(t *testing.T) {
	e := newEnv(t, pipeline)
	doneRun := e.complete("opp-1")
	e.terminate("opp-2")
	steps := []struct {
		name      string
		opts      backfill.Options
		want      backfill.Report
		wantLines []string
	}{
		{"dry run", backfill.Options{},
			backfill.Report{Listed: 3, WouldStart: 2, AlreadyDone: 1},
			[]string{"opp-1 stage-assess already completed (not re-invited)", "opp-2 stage-assess would start", "opp-3 stage-onsite would start"}},
		{"apply", backfill.Options{Apply: true, Rate: 100},
			backfill.Report{Listed: 3, Started: 2, AlreadyDone: 1},
			[]string{"opp-1 stage-assess already completed (not re-invited)", "opp-2 stage-assess started", "opp-3 stage-onsite started"}},
	}
	for _, st := range steps {
		rep, lines := e.run(st.opts)
		if rep != st.want {
			t.Errorf("%s: report got %+v, want %+v", st.name, rep, st.want)
		}
		if fmt.Sprint(lines) != fmt.Sprint(st.wantLines) {
			t.Errorf("%s: lines got %q, want %q", st.name, lines, st.wantLines)
		}
	}
	if runID, status, _ := e.describe("opp-1"); runID != doneRun || status != enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Errorf("opp-1: got run %s %v, want the completed run %s", runID, status, doneRun)
	}
	if _, status, _ := e.describe("opp-2"); status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Errorf("opp-2: got %v, want a new running run", status)
	}
}

// TestStageChoice: StageIDs narrows the run to some trigger stages.
func TestStageChoice(t *testing.T) {
	tests := []struct {
		name   string
		stages []string
		want   backfill.Report
	}{
		{"default: every trigger stage", nil, backfill.Report{Listed: 3, WouldStart: 3}},
		{"one trigger stage", []string{stageOnsite}, backfill.Report{Listed: 1, WouldStart: 1}},
		{"repeated stage", []string{stageAssess, stageAssess}, backfill.Report{Listed: 2, WouldStart: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, pipeline)
			if rep, _ := e.run(backfill.Options{StageIDs: tt.stages}); rep != tt.want {
				t.Errorf("report: got %+v, want %+v", rep, tt.want)
			}
		})
	}
}

// TestLeverIgnoresFilters: were Lever to ignore stage_id and archived, archived candidates
// and candidates in other stages are still left alone.
func TestLeverIgnoresFilters(t *testing.T) {
	dropFilters := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			q.Del("stage_id")
			q.Del("archived")
			r.URL.RawQuery = q.Encode()
			next.ServeHTTP(w, r)
		})
	}
	e := newEnv(t, pipeline, dropFilters)
	rep, lines := e.run(backfill.Options{Apply: true, Rate: 100})
	if want := (backfill.Report{Listed: 5, Started: 3, Archived: 1, OtherStage: 1}); rep != want {
		t.Errorf("report: got %+v, want %+v", rep, want)
	}
	for _, want := range []string{"opp-archived stage-assess skipped: archived", "opp-elsewhere stage-new skipped: not in a backfill stage"} {
		if !slices.Contains(lines, want) {
			t.Errorf("lines: got %q, want %q among them", lines, want)
		}
	}
	for _, opp := range []string{"opp-archived", "opp-elsewhere"} {
		if _, _, ok := e.describe(opp); ok {
			t.Errorf("workflow for %s: got one, want none", opp)
		}
	}
}

// TestPacing: ten starts at 20/s take at least 9 gaps of 50 ms (loose lower bound only).
func TestPacing(t *testing.T) {
	var cands []candidate
	for i := range 10 {
		cands = append(cands, candidate{id: fmt.Sprintf("opp-%02d", i), stage: stageAssess})
	}
	e := newEnv(t, cands)
	start := time.Now()
	rep, _ := e.run(backfill.Options{Apply: true, Rate: 20})
	elapsed := time.Since(start)
	if rep.Started != 10 {
		t.Errorf("started: got %d, want 10", rep.Started)
	}
	if elapsed < 400*time.Millisecond {
		t.Errorf("elapsed: got %v, want at least 400ms", elapsed)
	}
}
