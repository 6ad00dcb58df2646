package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/activities"
)

// Register adds the workflow (under its pinned name) and the activities to a worker.
func Register(r worker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(CandidateAssessment, workflowRegisterOptions())
	r.RegisterWorkflowWithOptions(PurgeCandidate, workflow.RegisterOptions{Name: PurgeWorkflowName})
	r.RegisterActivity(acts)
}

func workflowRegisterOptions() workflow.RegisterOptions {
	return workflow.RegisterOptions{Name: WorkflowName}
}
