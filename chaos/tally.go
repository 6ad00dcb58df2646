package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// tally counts the deliveries of one kind, webhooks or callbacks, and what went wrong with them.
type tally struct {
	mu       sync.Mutex
	sent     int         // deliveries answered, redeliveries included
	dupes    int         // of sent, redeliveries of the same delivery
	retries  int         // attempts that got no answer or a 5xx
	answers  map[int]int // by status
	problems []string
}

// deliver calls send until answered (see untilAnswered) and counts the delivery; false if ctx
// ended first.
func (t *tally) deliver(ctx context.Context, dup bool, send func() (int, error)) (int, bool) {
	status, failed, ok := untilAnswered(ctx, send)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.retries += failed
	if ok {
		t.sent++
		if t.answers == nil {
			t.answers = map[int]int{}
		}
		t.answers[status]++
		if dup {
			t.dupes++
		}
	}
	return status, ok
}

func (t *tally) problem(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.problems = append(t.problems, fmt.Sprintf(format, args...))
}

// untilAnswered calls send until it gets an answer other than a 5xx, as Lever and the platform
// redeliver: the gap doubles from 250 ms to 2 s. It returns the answer and the failed attempts;
// false if ctx ended first.
func untilAnswered(ctx context.Context, send func() (int, error)) (status, failed int, ok bool) {
	for gap := 250 * time.Millisecond; ; gap = min(gap*2, 2*time.Second) {
		status, err := send()
		if err == nil && status < 500 {
			return status, failed, true
		}
		failed++
		if sleepFor(ctx, gap) != nil {
			return 0, failed, false
		}
	}
}
