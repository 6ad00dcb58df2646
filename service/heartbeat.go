package service

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
)

// heartbeats makes every activity with a heartbeat timeout heartbeat while it runs. An activity
// on a worker that dies (kill -9, a lost machine) is then retried elsewhere once a heartbeat is
// missed, not when its StartToClose runs out. Any activity may run long: Lever's limiter,
// retries and Retry-After waits all happen inside it. The first heartbeat comes a third of the
// timeout in, so the usual activity, done in milliseconds, costs the server nothing more.
type heartbeats struct {
	interceptor.WorkerInterceptorBase
}

func (*heartbeats) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &heartbeatActivity{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}}
}

type heartbeatActivity struct {
	interceptor.ActivityInboundInterceptorBase
}

func (h *heartbeatActivity) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	timeout := activity.GetInfo(ctx).HeartbeatTimeout
	if timeout <= 0 {
		return h.Next.ExecuteActivity(ctx, in)
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		// The SDK sends at most one heartbeat per 0.8 × timeout and holds the rest, so ticking at a
		// third keeps every gap under the timeout.
		t := time.NewTicker(timeout / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	defer func() {
		close(done)
		<-stopped
	}()
	return h.Next.ExecuteActivity(ctx, in)
}
