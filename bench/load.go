package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assessbridge/assessbridge/lever"
)

// outcome is what a batch of parallel calls did.
type outcome struct {
	latencies []time.Duration // of the calls that succeeded
	errors    int
	firstErr  error
	elapsed   time.Duration
}

func (o outcome) ok() int { return len(o.latencies) }

// perSecond is successful calls per second of wall time.
func (o outcome) rate() float64 {
	if o.elapsed <= 0 {
		return 0
	}
	return float64(o.ok()) / o.elapsed.Seconds()
}

// parallel calls f(0…n-1) from conc goroutines and times each call.
func parallel(ctx context.Context, n, conc int, f func(ctx context.Context, i int) error) outcome {
	var (
		next atomic.Int64
		mu   sync.Mutex
		out  outcome
		wg   sync.WaitGroup
	)
	out.latencies = make([]time.Duration, 0, n)
	began := time.Now()
	for range min(conc, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				t := time.Now()
				err := f(ctx, i)
				took := time.Since(t)
				mu.Lock()
				if err != nil {
					out.errors++
					if out.firstErr == nil {
						out.firstErr = err
					}
				} else {
					out.latencies = append(out.latencies, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	out.elapsed = time.Since(began)
	return out
}

// merge adds b's calls to a's; elapsed times add up (the batches ran one after the other).
func merge(a, b outcome) outcome {
	a.latencies = append(a.latencies, b.latencies...)
	a.errors += b.errors
	if a.firstErr == nil {
		a.firstErr = b.firstErr
	}
	a.elapsed += b.elapsed
	return a
}

// percentile is the nearest-rank percentile (0 < p ≤ 100) of ds; 0 for none.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(float64(len(s))*p/100+0.999999) - 1
	return s[max(0, min(rank, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// hookSender posts Lever webhooks signed as Lever signs them, one fresh token per delivery.
type hookSender struct {
	hc   *http.Client
	base string
}

func newHookSender(base string) *hookSender { return &hookSender{hc: pooledClient(), base: base} }

// stageChange delivers a candidateStageChange into the trigger stage and wants 202 (started
// or joined).
func (h *hookSender) stageChange(ctx context.Context, a account, opportunityID string) error {
	token, at := randomHex(24), time.Now().UnixMilli()
	body, err := json.Marshal(map[string]any{
		"id": randomHex(8), "event": lever.EventStageChange, "triggeredAt": at, "token": token,
		"signature": lever.Sign(a.webhookToken, token, at),
		"data": map[string]any{"opportunityId": opportunityID, "candidateId": opportunityID, "contactId": "contact-" + opportunityID,
			"fromStageId": previousStage, "toStageId": triggerStage},
	})
	if err != nil {
		return fmt.Errorf("encode webhook: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.base+"/webhooks/lever/"+a.id, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Lever-Webhooks")
	resp, err := h.hc.Do(req)
	if err != nil {
		return fmt.Errorf("deliver webhook: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("webhook answered %d: %s", resp.StatusCode, oneLine(string(answer)))
	}
	return nil
}

// startCandidates moves every candidate of the accounts into the trigger stage through the
// front door, accounts interleaved as Lever would deliver them.
func (s *stack) startCandidates(ctx context.Context, accts []account, perAccount, conc int) outcome {
	n := len(accts) * perAccount
	return parallel(ctx, n, conc, func(ctx context.Context, i int) error {
		a := accts[i%len(accts)]
		return s.hooks.stageChange(ctx, a, candidateID(a.id, i/len(accts)))
	})
}
