package metrics

import (
	"context"
	"errors"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// StartInterceptor counts workflow starts by what the server did with them. Only the server's
// answer tells a new run from a duplicate that joined the running one (conflict policy
// use-existing answers Started=false), and the SDK's WorkflowRun does not carry it, so this
// watches StartWorkflowExecution on the client connection
// (client.Options.ConnectionOptions.DialOptions).
func (m *Metrics) StartInterceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		err := invoker(ctx, method, req, reply, cc, opts...)
		start, ok := req.(*workflowservice.StartWorkflowExecutionRequest)
		if !ok || m == nil {
			return err
		}
		wfType := start.GetWorkflowType().GetName()
		switch {
		case err == nil:
			result := StartStarted
			if resp, ok := reply.(*workflowservice.StartWorkflowExecutionResponse); ok && !resp.GetStarted() {
				result = StartJoined
			}
			m.starts.WithLabelValues(wfType, result).Inc()
		case isAlreadyStarted(err):
			m.starts.WithLabelValues(wfType, StartRefused).Inc()
		}
		return err
	}
}

// isAlreadyStarted: the error is, or as a gRPC status carries, WorkflowExecutionAlreadyStarted.
func isAlreadyStarted(err error) bool {
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) {
		return true
	}
	_, ok := serviceerror.FromStatus(status.Convert(err)).(*serviceerror.WorkflowExecutionAlreadyStarted)
	return ok
}
