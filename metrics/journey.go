package metrics

import (
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/workflows"
)

// WorkerInterceptor records each CandidateAssessment's duration and outcome when it ends
// (worker.Options.Interceptors). It reads only what the workflow returns and the workflow clock,
// and records nothing while a history is replayed, so a journey counts once however often its
// workflow is replayed on other workers.
func (m *Metrics) WorkerInterceptor() interceptor.WorkerInterceptor {
	return &journeyInterceptor{m: m}
}

type journeyInterceptor struct {
	interceptor.WorkerInterceptorBase
	m *Metrics
}

func (j *journeyInterceptor) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	if j.m == nil || workflow.GetInfo(ctx).WorkflowType.Name != workflows.WorkflowName {
		return next
	}
	return &journeyInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, m: j.m}
}

type journeyInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	m *Metrics
}

func (j *journeyInbound) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	res, err := j.Next.ExecuteWorkflow(ctx, in)
	if workflow.IsReplaying(ctx) || workflow.IsContinueAsNewError(err) {
		return res, err
	}
	took := workflow.Now(ctx).Sub(workflow.GetInfo(ctx).WorkflowStartTime)
	j.m.journeys.WithLabelValues(outcome(res, err)).Observe(took.Seconds())
	return res, err
}

// outcome is the step the journey ended on, from a closed set so labels stay few.
func outcome(res any, err error) string {
	if r, ok := res.(workflows.Result); ok && knownEnd(r.Step) {
		return r.Step
	}
	switch {
	case err == nil:
		return workflows.StepCompleted
	case temporal.IsCanceledError(err):
		return workflows.StepCancelled
	}
	return workflows.StepFailed
}

func knownEnd(step string) bool {
	switch step {
	case workflows.StepCompleted, workflows.StepNoAssessment, workflows.StepArchived, workflows.StepInvalidScore,
		workflows.StepCancelled, workflows.StepExpired, workflows.StepFailed,
		workflows.StepNotInTriggerStage, workflows.StepNoSuchApplication:
		return true
	}
	return false
}
