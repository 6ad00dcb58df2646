package web_test

import (
	"context"
	"sync"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// recordingClient is the real Temporal client, noting every start and signal Temporal accepted,
// so a test can say "nothing was started or signalled" without waiting on visibility. It can
// also play Temporal being down for starts and signals.
type recordingClient struct {
	client.Client

	mu    sync.Mutex
	calls []string // "start <workflow id>", "signal <workflow id> <name>"
	down  bool     // starts and signals fail as if Temporal were unreachable
}

// setDown makes starts and signals fail (true) or reach Temporal again (false).
func (c *recordingClient) setDown(down bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = down
}

func (c *recordingClient) unavailable() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return serviceerror.NewUnavailable("temporal down (test)")
	}
	return nil
}

func (c *recordingClient) note(call string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, call)
}

// effects returns how many starts and signals Temporal accepted so far.
func (c *recordingClient) effects() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.calls...)
}

func (c *recordingClient) ExecuteWorkflow(ctx context.Context, opts client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	if err := c.unavailable(); err != nil {
		return nil, err
	}
	run, err := c.Client.ExecuteWorkflow(ctx, opts, wf, args...)
	if err == nil {
		c.note("start " + opts.ID)
	}
	return run, err
}

func (c *recordingClient) SignalWorkflow(ctx context.Context, id, runID, name string, arg any) error {
	if err := c.unavailable(); err != nil {
		return err
	}
	err := c.Client.SignalWorkflow(ctx, id, runID, name, arg)
	if err == nil {
		c.note("signal " + id + " " + name)
	}
	return err
}

func (c *recordingClient) SignalWithStartWorkflow(ctx context.Context, id, name string, arg any, opts client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	if err := c.unavailable(); err != nil {
		return nil, err
	}
	run, err := c.Client.SignalWithStartWorkflow(ctx, id, name, arg, opts, wf, args...)
	if err == nil {
		c.note("signal-with-start " + id + " " + name)
	}
	return run, err
}
