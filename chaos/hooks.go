package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// hooks plays Lever's webhook deliveries: signed as Lever signs them, each one delivered twice
// (a redelivery of the same delivery), some out of order, some replayed long after. A delivery
// is retried while the front door cannot answer (dev is down) or answers 5xx, as Lever retries.
type hooks struct {
	hc       *http.Client
	frontURL string
	lever    *leversim.Server
	tally
	outOrder atomic.Int64 // deliveries that came out of order
	replays  atomic.Int64 // replays long after the first delivery
}

func newHooks(frontURL string, l *leversim.Server) *hooks {
	return &hooks{hc: &http.Client{Timeout: 15 * time.Second}, frontURL: frontURL, lever: l}
}

// webhook is one signed delivery, its body fixed so a redelivery is byte for byte the same.
type webhook struct {
	account string
	body    []byte
	trigger bool // a move into the trigger stage: the front door must accept it
}

// stageChange signs a candidateStageChange triggered at.
func stageChange(c *candidate, from, to string, at time.Time) (webhook, error) {
	token, ms := newSecret(), at.UnixMilli()
	body, err := json.Marshal(map[string]any{
		"id": newSecret()[:16], "event": lever.EventStageChange, "triggeredAt": ms, "token": token,
		"signature": lever.Sign(c.account.webhookToken, token, ms),
		"data": map[string]any{"opportunityId": c.opportunity, "candidateId": c.opportunity,
			"contactId": "contact-" + c.opportunity, "fromStageId": from, "toStageId": to},
	})
	if err != nil {
		return webhook{}, fmt.Errorf("encode webhook: %w", err)
	}
	return webhook{account: c.account.id, body: body, trigger: to == stageAssessment}, nil
}

// drive delivers one candidate's webhooks from its arrival on, then its replay if it has one.
func (h *hooks) drive(ctx context.Context, began time.Time, c *candidate) {
	if sleepUntil(ctx, began.Add(c.arrive)) != nil {
		return
	}
	now := time.Now()
	// Lever's own record moves first; the simulator has no webhooks registered, so it sends none.
	if err := h.lever.MoveToStage(ctx, c.account.id, c.opportunity, stageAssessment); err != nil {
		h.problem("%s: move in Lever: %v", c.opportunity, err)
		return
	}
	trigger, err := stageChange(c, stagePhone, stageAssessment, now)
	if err != nil {
		h.problem("%s: %v", c.opportunity, err)
		return
	}
	// Every webhook goes twice; late marks those delivered out of order.
	type delivery struct {
		wh        webhook
		dup, late bool
	}
	twice := func(wh webhook, late bool) []delivery { return []delivery{{wh, false, late}, {wh, true, late}} }
	var order []delivery
	switch c.order {
	case inOrder:
		order = twice(trigger, false)
	case laterFirst:
		// The recruiter moved the candidate on at once; Lever delivered that change first.
		if err := h.lever.MoveToStage(ctx, c.account.id, c.opportunity, stageOnsite); err != nil {
			h.problem("%s: move in Lever: %v", c.opportunity, err)
			return
		}
		later, err := stageChange(c, stageAssessment, stageOnsite, now.Add(time.Second))
		if err != nil {
			h.problem("%s: %v", c.opportunity, err)
			return
		}
		order = append(twice(later, false), twice(trigger, true)...)
	case staleAfter:
		// The move into the phone screen, a minute earlier, arrives after the trigger.
		stale, err := stageChange(c, "", stagePhone, now.Add(-time.Minute))
		if err != nil {
			h.problem("%s: %v", c.opportunity, err)
			return
		}
		order = append(twice(trigger, false), twice(stale, true)...)
	}
	for _, d := range order {
		if !h.deliver(ctx, c, d.wh, d.dup, d.late, false) {
			return
		}
	}
	if c.replay > 0 {
		if sleepUntil(ctx, now.Add(c.replay)) != nil {
			return
		}
		h.deliver(ctx, c, trigger, false, false, true)
	}
}

// deliver posts wh until the front door answers other than 5xx and checks the answer: a trigger
// must be accepted (202) the first times; other stage changes and replays need nothing from us,
// so any answer but a 5xx will do (a 4xx for a stale delivery too).
func (h *hooks) deliver(ctx context.Context, c *candidate, wh webhook, dup, outOfOrder, replay bool) bool {
	status, ok := h.tally.deliver(ctx, dup, func() (int, error) { return h.post(ctx, wh) })
	if !ok {
		return false
	}
	if outOfOrder {
		h.outOrder.Add(1)
	}
	if replay {
		h.replays.Add(1)
	}
	// A redelivery of a delivery already answered 2xx is answered 200 "duplicate".
	if wh.trigger && !replay && status != http.StatusAccepted && !(dup && status == http.StatusOK) {
		h.problem("%s: trigger webhook answered %d, want 202 (or 200 for a redelivery)", c.opportunity, status)
	}
	return true
}

func (h *hooks) post(ctx context.Context, wh webhook) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.frontURL+"/webhooks/lever/"+wh.account, bytes.NewReader(wh.body))
	if err != nil {
		return 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Lever-Webhooks")
	resp, err := h.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}
