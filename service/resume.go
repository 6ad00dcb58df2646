package service

import (
	"context"
	"fmt"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/assessbridge/assessbridge/workflows"
)

// ResumeAccount signals every workflow of the account that waits for its Lever connection, so
// they carry on at once after an admin reconnects it (they would otherwise notice within
// workflows.ReconnectPoll). It returns how many it signalled.
func ResumeAccount(ctx context.Context, tc client.Client, namespace, accountID string) (int, error) {
	query := fmt.Sprintf("%s AND %s = '%s' AND ExecutionStatus = 'Running'",
		workflows.AccountQuery(accountID), workflows.AttrStatus.GetName(), workflows.StepLeverDisconnected)
	var token []byte
	n := 0
	for {
		resp, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: namespace, Query: query, NextPageToken: token})
		if err != nil {
			return n, fmt.Errorf("list waiting workflows: %w", err)
		}
		for _, ex := range resp.GetExecutions() {
			// A workflow that ended meanwhile is simply skipped.
			if err := tc.SignalWorkflow(ctx, ex.GetExecution().GetWorkflowId(), "", workflows.SignalReconnected, nil); err == nil {
				n++
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return n, nil
		}
	}
}
