package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// killer carries out the planned kills in time order, each followed by a restart that must
// come up: a kill's restart ends before the next kill starts.
type killer struct {
	d        *deployment
	progress io.Writer

	mu          sync.Mutex
	workerKills int
	devKills    int
	devDown     time.Duration // longest time from dev's kill to its front door ready again
	failures    []string
}

type plannedKill struct {
	kill
	dev bool
}

func (k *killer) run(ctx context.Context, began time.Time, p *plan) {
	var all []plannedKill
	for _, w := range p.workerKill {
		all = append(all, plannedKill{kill: w})
	}
	for _, dk := range p.devKill {
		all = append(all, plannedKill{kill: dk, dev: true})
	}
	slices.SortFunc(all, func(a, b plannedKill) int { return int(a.at - b.at) })
	for _, pk := range all {
		if err := sleepUntil(ctx, began.Add(pk.at)); err != nil {
			return
		}
		if pk.dev {
			k.killDev(ctx, began, pk.pause)
		} else {
			k.killWorker(ctx, began, k.d.workers[pk.worker%len(k.d.workers)], pk.pause)
		}
	}
}

func (k *killer) killWorker(ctx context.Context, began time.Time, w *proc, pause time.Duration) {
	w.kill()
	k.mu.Lock()
	k.workerKills++
	k.mu.Unlock()
	t := time.Now()
	if sleepFor(ctx, pause) != nil {
		return
	}
	if err := k.d.startWorker(ctx, w); err != nil {
		k.fail(fmt.Sprintf("restart %s: %v", w.name, err))
		return
	}
	fmt.Fprintf(k.progress, "  t+%s  killed %s (SIGKILL), polling again after %s\n", since(began), w.name, since(t))
}

func (k *killer) killDev(ctx context.Context, began time.Time, pause time.Duration) {
	k.d.dev.kill()
	t := time.Now()
	k.mu.Lock()
	k.devKills++
	k.mu.Unlock()
	if sleepFor(ctx, pause) != nil {
		return
	}
	if err := k.d.startDev(ctx); err != nil {
		k.fail(fmt.Sprintf("restart dev: %v", err))
		return
	}
	down := time.Since(t)
	k.mu.Lock()
	k.devDown = max(k.devDown, down)
	k.mu.Unlock()
	fmt.Fprintf(k.progress, "  t+%s  killed dev (SIGKILL: Temporal server and front door), ready again after %s\n", since(began), down.Round(100*time.Millisecond))
}

func (k *killer) fail(msg string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.failures = append(k.failures, msg)
}

func since(t time.Time) time.Duration { return time.Since(t).Round(100 * time.Millisecond) }

func sleepUntil(ctx context.Context, t time.Time) error { return sleepFor(ctx, time.Until(t)) }

// sleepFor waits d unless ctx ends first, and says which happened.
func sleepFor(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d): // a zero or negative d is over at once
		return ctx.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}
