package codec

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/proto"
)

const (
	e2eTaskQueue    = "codec-e2e"
	e2eWorkflowName = "CodecScore"
	e2eActivityName = "CodecScoreActivity"
	e2eScore        = 87
)

// scoreWorkflow carries the candidate through an activity and back, so that the candidate's
// email is in a workflow input, an activity input and result, and the workflow result.
func scoreWorkflow(ctx workflow.Context, in candidate) (candidate, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second})
	var out candidate
	err := workflow.ExecuteActivity(ctx, e2eActivityName, in).Get(ctx, &out)
	return out, err
}

func scoreActivity(_ context.Context, in candidate) (candidate, error) {
	in.Score = e2eScore
	return in, nil
}

func registerScore(r worker.Registry) {
	r.RegisterWorkflowWithOptions(scoreWorkflow, workflow.RegisterOptions{Name: e2eWorkflowName})
	r.RegisterActivityWithOptions(scoreActivity, activity.RegisterOptions{Name: e2eActivityName})
}

// quietLogger keeps SDK client and worker logs out of the test output.
func quietLogger() sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))
}

// runScore runs the workflow for in through c (started, then waited for) and checks the result.
func runScore(t *testing.T, ctx context.Context, c client.Client, id string, in candidate) {
	t.Helper()
	startScore(t, ctx, c, id, in)
	waitScore(t, ctx, c, id, in)
}

// startScore starts the workflow for in through c.
func startScore(t *testing.T, ctx context.Context, c client.Client, id string, in candidate) {
	t.Helper()
	if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: e2eTaskQueue}, e2eWorkflowName, in); err != nil {
		t.Fatalf("start %s: got error %v, want nil", id, err)
	}
}

// waitScore waits for workflow id through c and checks its result.
func waitScore(t *testing.T, ctx context.Context, c client.Client, id string, in candidate) {
	t.Helper()
	var out candidate
	if err := c.GetWorkflow(ctx, id, "").Get(ctx, &out); err != nil {
		t.Fatalf("result of %s: got error %v, want nil", id, err)
	}
	want := in
	want.Score = e2eScore
	if out != want {
		t.Errorf("result of %s: got %+v, want %+v", id, out, want)
	}
}

// rawHistory reads workflow id's history through c, which should have no codec: payloads
// come back exactly as the server stores them.
func rawHistory(t *testing.T, ctx context.Context, c client.Client, id string) []*historypb.HistoryEvent {
	t.Helper()
	var events []*historypb.HistoryEvent
	it := c.GetWorkflowHistory(ctx, id, "", false, 0)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: got error %v, want nil", id, err)
		}
		events = append(events, ev)
	}
	return events
}

// eventsContaining lists the types of the events whose serialized form contains s.
func eventsContaining(t *testing.T, events []*historypb.HistoryEvent, s string) []string {
	t.Helper()
	var hits []string
	for _, ev := range events {
		raw, err := proto.Marshal(ev)
		if err != nil {
			t.Fatalf("marshal event %d: %v", ev.GetEventId(), err)
		}
		if bytes.Contains(raw, []byte(s)) {
			hits = append(hits, ev.GetEventType().String())
		}
	}
	return hits
}
