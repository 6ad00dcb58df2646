package workflows

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/types/known/durationpb"
)

// How a change to a released workflow is patched with workflow.GetVersion (see README). The
// example: version 1 waits an hour and ends; version 2 sends a greeting first. A run started
// under version 1 and replayed by a version-2 worker must still see the same commands.

const exampleChange = "example-change-2026-12-02"

func exampleV1(ctx workflow.Context) error {
	return workflow.Sleep(ctx, time.Hour)
}

// exampleV2 is the change done right: new runs greet first, old runs keep their commands.
func exampleV2(ctx workflow.Context) error {
	if v := workflow.GetVersion(ctx, exampleChange, workflow.DefaultVersion, 1); v == 1 {
		ctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
		if err := workflow.ExecuteActivity(ctx, greet).Get(ctx, nil); err != nil {
			return err
		}
	}
	return workflow.Sleep(ctx, time.Hour)
}

// exampleV2Ungated is the same change without the gate.
func exampleV2Ungated(ctx workflow.Context) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	if err := workflow.ExecuteActivity(ctx, greet).Get(ctx, nil); err != nil {
		return err
	}
	return workflow.Sleep(ctx, time.Hour)
}

func greet(context.Context) error { return nil }

// exampleV1History is the history a server records for a run of version 1: started, an hour's
// timer, completed. Released workflows have theirs recorded in testdata instead.
func exampleV1History() *historypb.History {
	var events []*historypb.HistoryEvent
	add := func(typ enumspb.EventType, attrs func(*historypb.HistoryEvent)) {
		e := &historypb.HistoryEvent{EventId: int64(len(events) + 1), EventType: typ}
		attrs(e)
		events = append(events, e)
	}
	workflowTask := func() {
		scheduled := int64(len(events) + 1)
		add(enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, func(e *historypb.HistoryEvent) {
			e.Attributes = &historypb.HistoryEvent_WorkflowTaskScheduledEventAttributes{WorkflowTaskScheduledEventAttributes: &historypb.WorkflowTaskScheduledEventAttributes{}}
		})
		add(enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, func(e *historypb.HistoryEvent) {
			e.Attributes = &historypb.HistoryEvent_WorkflowTaskStartedEventAttributes{WorkflowTaskStartedEventAttributes: &historypb.WorkflowTaskStartedEventAttributes{ScheduledEventId: scheduled}}
		})
		add(enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, func(e *historypb.HistoryEvent) {
			e.Attributes = &historypb.HistoryEvent_WorkflowTaskCompletedEventAttributes{WorkflowTaskCompletedEventAttributes: &historypb.WorkflowTaskCompletedEventAttributes{ScheduledEventId: scheduled, StartedEventId: scheduled + 1}}
		})
	}
	add(enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, func(e *historypb.HistoryEvent) {
		e.Attributes = &historypb.HistoryEvent_WorkflowExecutionStartedEventAttributes{WorkflowExecutionStartedEventAttributes: &historypb.WorkflowExecutionStartedEventAttributes{
			WorkflowType: &commonpb.WorkflowType{Name: "Example"}, TaskQueue: &taskqueuepb.TaskQueue{Name: "example"},
		}}
	})
	workflowTask()
	add(enumspb.EVENT_TYPE_TIMER_STARTED, func(e *historypb.HistoryEvent) {
		e.Attributes = &historypb.HistoryEvent_TimerStartedEventAttributes{TimerStartedEventAttributes: &historypb.TimerStartedEventAttributes{
			TimerId: "5", StartToFireTimeout: durationpb.New(time.Hour), WorkflowTaskCompletedEventId: 4,
		}}
	})
	add(enumspb.EVENT_TYPE_TIMER_FIRED, func(e *historypb.HistoryEvent) {
		e.Attributes = &historypb.HistoryEvent_TimerFiredEventAttributes{TimerFiredEventAttributes: &historypb.TimerFiredEventAttributes{TimerId: "5", StartedEventId: 5}}
	})
	workflowTask()
	add(enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, func(e *historypb.HistoryEvent) {
		e.Attributes = &historypb.HistoryEvent_WorkflowExecutionCompletedEventAttributes{WorkflowExecutionCompletedEventAttributes: &historypb.WorkflowExecutionCompletedEventAttributes{WorkflowTaskCompletedEventId: 9}}
	})
	return &historypb.History{Events: events}
}

// TestPatchingExample: version 1's history replays under version 1 and under the gated
// version 2 (its DefaultVersion branch), and fails under version 2 without the gate; a new run
// of version 2 takes the new branch.
func TestPatchingExample(t *testing.T) {
	logger := log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	replay := func(wf func(workflow.Context) error) error {
		r := worker.NewWorkflowReplayer()
		r.RegisterWorkflowWithOptions(wf, workflow.RegisterOptions{Name: "Example"})
		return r.ReplayWorkflowHistory(logger, exampleV1History())
	}
	if err := replay(exampleV1); err != nil {
		t.Fatalf("version 1's history under version 1: %v", err)
	}
	if err := replay(exampleV2); err != nil {
		t.Errorf("version 1's history under the gated version 2: %v, want it to replay", err)
	}
	if err := replay(exampleV2Ungated); err == nil || !strings.Contains(err.Error(), "nondeterministic") {
		t.Errorf("version 1's history under version 2 without the gate: got %v, want a nondeterminism error", err)
	}

	var env testsuite.WorkflowTestSuite
	e := env.NewTestWorkflowEnvironment()
	greeted := false
	e.RegisterActivity(greet)
	e.OnActivity(greet, mock.Anything).Return(func(context.Context) error { greeted = true; return nil })
	e.ExecuteWorkflow(exampleV2)
	if err := e.GetWorkflowError(); err != nil || !greeted {
		t.Errorf("new run of version 2: error %v, greeted %v; want the new branch", err, greeted)
	}
}
