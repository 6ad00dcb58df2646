// Package leverqueue runs the per-account Lever activity workers. Every Lever request of an
// account is one activity on the account's own task queue (workflows.LeverTaskQueue); each
// worker process polls the queue of every account with the same rate limit, which the Temporal
// server enforces across all of them, so N workers together stay within the account's Lever
// budget instead of each spending it on its own.
package leverqueue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/workflows"
)

// Config says what to run.
type Config struct {
	// TaskQueue is the deployment's task queue; the account queues are named from it.
	TaskQueue string
	// Rate is the account's Lever budget in requests (= activities) per second, shared by every
	// worker of the deployment.
	Rate float64
	// Register adds the activities to a new account worker.
	Register func(worker.Registry)
	// Accounts lists the ids of the accounts to serve.
	Accounts func(ctx context.Context) ([]string, error)
	// Refresh is how often the account list is read again (default 10 s): an account connected
	// in another process is served within that time; its activities wait in the queue meanwhile.
	Refresh time.Duration
	// Options are the base worker options (interceptors, stop timeout).
	Options worker.Options
	Log     *zap.Logger
}

// Workers holds one activity worker per account.
type Workers struct {
	tc  client.Client
	cfg Config

	mu      sync.Mutex
	running map[string]worker.Worker
	stopped bool
	cancel  context.CancelFunc
	done    chan struct{}
}

// New prepares the workers; Start runs them.
func New(tc client.Client, cfg Config) (*Workers, error) {
	switch {
	case tc == nil:
		return nil, errors.New("leverqueue: temporal client required")
	case cfg.TaskQueue == "" || cfg.Register == nil || cfg.Accounts == nil:
		return nil, errors.New("leverqueue: task queue, register and accounts are required")
	case cfg.Rate <= 0:
		return nil, errors.New("leverqueue: rate must be positive")
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	return &Workers{tc: tc, cfg: cfg, running: map[string]worker.Worker{}}, nil
}

// Start starts a worker for every account listed now, then keeps the set current.
func (w *Workers) Start(ctx context.Context) error {
	if err := w.sync(ctx); err != nil {
		w.Stop()
		return err
	}
	loopCtx, cancel := context.WithCancel(context.Background())
	w.mu.Lock()
	w.cancel, w.done = cancel, make(chan struct{})
	w.mu.Unlock()
	go w.loop(loopCtx)
	return nil
}

func (w *Workers) loop(ctx context.Context) {
	defer close(w.done)
	t := time.NewTicker(w.cfg.Refresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := w.sync(ctx); err != nil && ctx.Err() == nil {
				w.cfg.Log.Warn("refresh lever account workers", zap.Error(err))
			}
		}
	}
}

// sync starts workers for accounts that have none. A deleted account's worker keeps running
// until the process stops: its workflows may still hold activities that must fail cleanly.
func (w *Workers) sync(ctx context.Context) error {
	ids, err := w.cfg.Accounts(ctx)
	if err != nil {
		return fmt.Errorf("list accounts: %w", err)
	}
	for _, id := range ids {
		if err := w.Ensure(id); err != nil {
			return err
		}
	}
	return nil
}

// Ensure starts the account's worker unless it runs already.
func (w *Workers) Ensure(accountID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return errors.New("leverqueue: stopped")
	}
	if _, ok := w.running[accountID]; ok {
		return nil
	}
	queue := workflows.LeverTaskQueue(w.cfg.TaskQueue, accountID)
	opts := w.cfg.Options
	opts.DisableWorkflowWorker = true
	opts.TaskQueueActivitiesPerSecond = w.cfg.Rate
	// One poll per partition of the task queue (the server splits the rate among 4 by default)
	// keeps every partition's share in use; more would be idle long polls per account.
	opts.MaxConcurrentActivityTaskPollers = 4
	aw := worker.New(w.tc, queue, opts)
	w.cfg.Register(aw)
	if err := aw.Start(); err != nil {
		return fmt.Errorf("start lever worker for %s: %w", queue, err)
	}
	w.running[accountID] = aw
	return nil
}

// Accounts is how many account workers run.
func (w *Workers) Accounts() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.running)
}

// Stop stops the refresh and every account worker (waiting for their activities like any
// worker). Safe to call twice.
func (w *Workers) Stop() {
	w.mu.Lock()
	w.stopped = true
	cancel, done := w.cancel, w.done
	running := w.running
	w.running = map[string]worker.Worker{}
	w.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
	var wg sync.WaitGroup
	for _, aw := range running {
		wg.Add(1)
		go func() {
			defer wg.Done()
			aw.Stop()
		}()
	}
	wg.Wait()
}
