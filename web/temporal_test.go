package web_test

import (
	"context"
	"sync"

	"go.temporal.io/sdk/client"
)

// recordingClient is the real Temporal client, noting every start and signal Temporal accepted,
// so a test can say "nothing was started or signalled" without waiting on visibility.
type recordingClient struct {
	client.Client

	mu    sync.Mutex
	calls []string // "start <workflow id>", "signal <workflow id> <name>"
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
	run, err := c.Client.ExecuteWorkflow(ctx, opts, wf, args...)
	if err == nil {
		c.note("start " + opts.ID)
	}
	return run, err
}

func (c *recordingClient) SignalWorkflow(ctx context.Context, id, runID, name string, arg any) error {
	err := c.Client.SignalWorkflow(ctx, id, runID, name, arg)
	if err == nil {
		c.note("signal " + id + " " + name)
	}
	return err
}

func (c *recordingClient) SignalWithStartWorkflow(ctx context.Context, id, name string, arg any, opts client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	run, err := c.Client.SignalWithStartWorkflow(ctx, id, name, arg, opts, wf, args...)
	if err == nil {
		c.note("signal-with-start " + id + " " + name)
	}
	return run, err
}
