package leverqueue_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"go.temporal.io/server/temporaltest"

	"github.com/assessbridge/assessbridge/leverqueue"
	"github.com/assessbridge/assessbridge/workflows"
)

// calls records which worker ran each activity and when.
type calls struct {
	mu  sync.Mutex
	by  map[string]int
	ats []time.Time
}

func (c *calls) activity(name string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.by[name]++
		c.ats = append(c.ats, time.Now())
		return nil
	}
}

// fanOut runs n activities at once on the account's Lever queue.
func fanOut(ctx workflow.Context, queue string, n int) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{TaskQueue: queue, StartToCloseTimeout: time.Minute})
	fs := make([]workflow.Future, n)
	for i := range fs {
		fs[i] = workflow.ExecuteActivity(ctx, "LeverCall")
	}
	for _, f := range fs {
		if err := f.Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

// TestRateIsSharedAcrossWorkers runs two sets of account workers, as two worker processes would,
// with a budget of 5 activities per second: 30 activities need about 5 s together (6 s at the
// rate, less the server's initial burst), where two per-process limits would allow 2.5 s.
func TestRateIsSharedAcrossWorkers(t *testing.T) {
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	tc := ts.GetDefaultClient()
	const base, account, n, rate = "lq-test", "acme", 30, 5.0
	rec := &calls{by: map[string]int{}}

	wf := worker.New(tc, base, worker.Options{})
	wf.RegisterWorkflowWithOptions(fanOut, workflow.RegisterOptions{Name: "FanOut"})
	if err := wf.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(wf.Stop)
	for _, name := range []string{"process-1", "process-2"} {
		lw, err := leverqueue.New(tc, leverqueue.Config{
			TaskQueue: base, Rate: rate,
			Register: func(r worker.Registry) {
				r.RegisterActivityWithOptions(rec.activity(name), activity.RegisterOptions{Name: "LeverCall"})
			},
			Accounts: func(context.Context) ([]string, error) { return []string{account}, nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := lw.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(lw.Stop)
		if lw.Accounts() != 1 {
			t.Fatalf("%s serves %d accounts, want 1", name, lw.Accounts())
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: base}, "FanOut", workflows.LeverTaskQueue(base, account), n)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("fan out: %v", err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.ats) != n {
		t.Fatalf("ran %d activities, want %d", len(rec.ats), n)
	}
	span := rec.ats[len(rec.ats)-1].Sub(rec.ats[0])
	// A lower bound only: a slow machine makes it longer, never shorter.
	if min := time.Duration((n/rate - 2) * float64(time.Second)); span < min {
		t.Errorf("%d activities at %g/s shared by two workers took %s, want at least %s (%v)", n, rate, span, min, rec.by)
	}
}

// TestNewAccountsAreServed: an account added after start gets its worker at the next refresh.
func TestNewAccountsAreServed(t *testing.T) {
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	tc := ts.GetDefaultClient()
	var mu sync.Mutex
	ids := []string{"a1"}
	lw, err := leverqueue.New(tc, leverqueue.Config{
		TaskQueue: "lq-new", Rate: 10, Refresh: 50 * time.Millisecond,
		Register: func(r worker.Registry) {
			r.RegisterActivityWithOptions(func(context.Context) error { return nil }, activity.RegisterOptions{Name: "LeverCall"})
		},
		Accounts: func(context.Context) ([]string, error) {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), ids...), nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := lw.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer lw.Stop()
	mu.Lock()
	ids = append(ids, "a2")
	mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for lw.Accounts() != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("serving %d accounts after the refresh, want 2", lw.Accounts())
		}
		time.Sleep(20 * time.Millisecond)
	}
	lw.Stop()
	if err := lw.Ensure("a3"); err == nil {
		t.Error("Ensure after Stop: got nil error")
	}
}

func TestConfigErrors(t *testing.T) {
	tc, err := client.NewLazyClient(client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leverqueue.New(nil, leverqueue.Config{TaskQueue: "q", Rate: 1, Register: func(worker.Registry) {},
		Accounts: func(context.Context) ([]string, error) { return nil, nil }}); err == nil {
		t.Error("no client: got nil error")
	}
	for name, cfg := range map[string]leverqueue.Config{
		"no queue": {Rate: 1, Register: func(worker.Registry) {}, Accounts: func(context.Context) ([]string, error) { return nil, nil }},
		"no rate":  {TaskQueue: "q", Register: func(worker.Registry) {}, Accounts: func(context.Context) ([]string, error) { return nil, nil }},
	} {
		if _, err := leverqueue.New(tc, cfg); err == nil {
			t.Errorf("%s: got nil error", name)
		}
	}
}
