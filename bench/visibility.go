package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/workflows"
)

// Visibility queries over the scenario's candidate workflows.
var (
	queryCompleted = fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Completed'", workflows.WorkflowName)
	queryWaiting   = fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running' AND %s = '%s'",
		workflows.WorkflowName, workflows.AttrStatus.GetName(), workflows.StepInvited)
)

func (s *stack) count(ctx context.Context, query string) (int, error) {
	resp, err := s.tc.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
		Namespace: s.cfg.TemporalNamespace, Query: query,
	})
	if err != nil {
		return 0, fmt.Errorf("count workflows: %w", err)
	}
	return int(resp.GetCount()), nil
}

// waitCount polls until query counts want workflows or limit passes. It returns when it first
// saw them (or gave up), the count last seen and whether want was reached; progress is told
// every ten seconds.
func (s *stack) waitCount(ctx context.Context, query string, want int, limit time.Duration, progress func(n int)) (time.Time, int, bool, error) {
	deadline := time.Now().Add(limit)
	lastTold := time.Now()
	for {
		n, err := s.count(ctx, query)
		if err != nil {
			return time.Time{}, 0, false, err
		}
		if n >= want {
			return time.Now(), n, true, nil
		}
		if time.Since(lastTold) >= 10*time.Second {
			progress(n)
			lastTold = time.Now()
		}
		if time.Now().After(deadline) {
			return time.Now(), n, false, nil
		}
		if err := pause(ctx, time.Second); err != nil {
			return time.Time{}, 0, false, err
		}
	}
}

// leverCount counts the candidates whose state in the simulated Lever satisfies ok. Polling it
// costs the server nothing, unlike a visibility count over thousands of workflows.
func (s *stack) leverCount(accts []account, per int, ok func(leversim.OpportunityState) bool) int {
	n := 0
	for _, a := range accts {
		for i := range per {
			if st, found := s.lever.Snapshot(a.id, candidateID(a.id, i)); found && ok(st) {
				n++
			}
		}
	}
	return n
}

// waitProgress waits until want candidates satisfy ok in Lever, then until the server's
// visibility store agrees on query, within limit. It returns when the server agreed (or the
// time ran out), the count last seen and whether want was reached.
func (s *stack) waitProgress(ctx context.Context, accts []account, per int, ok func(leversim.OpportunityState) bool,
	query string, want int, limit time.Duration, progress func(n int)) (time.Time, int, bool, error) {
	deadline := time.Now().Add(limit)
	lastTold := time.Now()
	for {
		n := s.leverCount(accts, per, ok)
		if n >= want {
			break
		}
		if time.Since(lastTold) >= 10*time.Second {
			progress(n)
			lastTold = time.Now()
		}
		if time.Now().After(deadline) {
			return time.Now(), n, false, nil
		}
		if err := pause(ctx, 500*time.Millisecond); err != nil {
			return time.Time{}, 0, false, err
		}
	}
	return s.waitCount(ctx, query, want, max(time.Until(deadline), 5*time.Second), progress)
}

// States of a candidate as a recruiter sees them in Lever.
func invitedInLever(st leversim.OpportunityState) bool {
	return slices.Contains(st.Tags, assessmentTitle+" - Invited")
}

func resultsInLever(st leversim.OpportunityState) bool { return len(st.Notes) > 0 }
