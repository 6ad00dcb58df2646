package main

import (
	"context"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
)

// taskCounts is the server work a candidate's journey took so far, read from its history.
type taskCounts struct {
	sampled                           int
	workflowTasks, activities, events float64 // per candidate
}

func (t taskCounts) String() string {
	return fmt.Sprintf("%.1f / %.1f / %.1f", t.workflowTasks, t.activities, t.events)
}

// tasksToWaiting reads the histories of up to n candidates waiting for started and averages the
// workflow tasks, activity tasks and history events each took to get there: every one is server
// work (a dispatch, a persisted update), the unit to cut when the server is the bound.
func (s *stack) tasksToWaiting(ctx context.Context, n int) (taskCounts, error) {
	resp, err := s.tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Namespace: s.cfg.TemporalNamespace, PageSize: int32(n), Query: queryWaiting,
	})
	if err != nil {
		return taskCounts{}, fmt.Errorf("list waiting workflows: %w", err)
	}
	var t taskCounts
	for _, e := range resp.GetExecutions() {
		if t.sampled == n {
			break
		}
		it := s.tc.GetWorkflowHistory(ctx, e.GetExecution().GetWorkflowId(), e.GetExecution().GetRunId(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				return taskCounts{}, fmt.Errorf("history of %s: %w", e.GetExecution().GetWorkflowId(), err)
			}
			t.events++
			switch ev.GetEventType() {
			case enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED:
				t.workflowTasks++
			case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
				t.activities++
			}
		}
		t.sampled++
	}
	if t.sampled > 0 {
		k := float64(t.sampled)
		t.workflowTasks, t.activities, t.events = t.workflowTasks/k, t.activities/k, t.events/k
	}
	return t, nil
}
