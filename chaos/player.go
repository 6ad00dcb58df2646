package main

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
)

// player is the candidates' side on the assessment platform: it plays every invitation the
// platform simulator records, calling back started and submitted twice each (a redelivery with
// the same event id), some submitted before started. A callback is retried while the front door
// cannot answer or answers 5xx, as the platform redelivers.
type player struct {
	platform *platformsim.Server
	byRef    map[string]*candidate
	wg       sync.WaitGroup
	tally
	startedLate atomic.Int64 // candidates whose started came after their submitted

	seenMu sync.Mutex
	seen   map[string]bool // invitation ids being played
}

func newPlayer(p *platformsim.Server, byRef map[string]*candidate) *player {
	return &player{platform: p, byRef: byRef, seen: map[string]bool{}}
}

// watch plays each new invitation until ctx ends; wait then waits for the plays.
func (p *player) watch(ctx context.Context) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, inv := range p.platform.Invitations() {
			p.seenMu.Lock()
			isNew := !p.seen[inv.ID]
			p.seen[inv.ID] = true
			p.seenMu.Unlock()
			if !isNew {
				continue
			}
			c, ok := p.byRef[inv.Reference]
			if !ok {
				p.problem("invitation %s names an unknown reference", inv.ID)
				continue
			}
			p.wg.Go(func() { p.play(ctx, c, inv) })
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (p *player) wait() { p.wg.Wait() }

func (p *player) play(ctx context.Context, c *candidate, inv platformsim.Invitation) {
	if sleepFor(ctx, c.startAfter) != nil {
		return
	}
	began := time.Now().UTC().Truncate(time.Second)
	score, maxScore := float64(c.score), float64(c.max)
	started := assessment.Callback{ID: "evt_" + newSecret()[:16], Event: assessment.EventStarted,
		InvitationID: inv.ID, Reference: inv.Reference, OccurredAt: began}
	submitted := assessment.Callback{ID: "evt_" + newSecret()[:16], Event: assessment.EventSubmitted,
		InvitationID: inv.ID, Reference: inv.Reference, OccurredAt: began.Add(c.submitAfter),
		Result: &assessment.Result{Score: &score, MaxScore: &maxScore, ReportURL: "https://platform.example/reports/" + inv.ID,
			Proctoring: assessment.Proctoring{Flagged: c.flagged, Summary: c.proctorNotes}}}
	first, second := started, submitted
	if c.submitFirst {
		first, second = submitted, started
		p.startedLate.Add(1)
	}
	if !p.callBack(ctx, c, first, true, false) || !p.callBack(ctx, c, first, false, true) {
		return
	}
	if sleepFor(ctx, c.submitAfter) != nil {
		return
	}
	// A started that comes after submitted may find the journey over: 409 is a fair answer.
	if p.callBack(ctx, c, second, !c.submitFirst, false) {
		p.callBack(ctx, c, second, false, true)
	}
}

// callBack delivers cb until answered without a 5xx. must: the journey needs it, so only 202
// will do; otherwise (a redelivery, a late started) 409 for a finished journey is fine too.
func (p *player) callBack(ctx context.Context, c *candidate, cb assessment.Callback, must, dup bool) bool {
	status, ok := p.tally.deliver(ctx, dup, func() (int, error) { return p.platform.SendCallback(ctx, cb) })
	if ok && status != http.StatusAccepted && (must || status != http.StatusConflict) {
		p.problem("%s: %s callback answered %d", c.opportunity, cb.Event, status)
	}
	return ok
}
