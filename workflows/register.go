package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/activities"
)

// Register adds the workflow (under its pinned name) and the activities to a worker.
func Register(r worker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(CandidateAssessment, workflowRegisterOptions())
	r.RegisterWorkflowWithOptions(PurgeCandidate, workflowOptions(PurgeWorkflowName))
	r.RegisterWorkflowWithOptions(ConfirmCancel, workflowOptions(ConfirmCancelWorkflowName))
	r.RegisterActivity(acts)
}

func workflowRegisterOptions() workflow.RegisterOptions {
	return workflowOptions(WorkflowName)
}

func workflowOptions(name string) workflow.RegisterOptions {
	return workflow.RegisterOptions{Name: name}
}
