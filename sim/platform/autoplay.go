package platform

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
)

// AutoPlay makes the simulator play every candidate it invites, so candidates flow without a
// person (demos, benchmarks): the candidate starts StartAfter after the invitation and submits
// SubmitAfter after starting, with the next of Results.
type AutoPlay struct {
	StartAfter  time.Duration
	SubmitAfter time.Duration
	// SkipStart sends only submitted (which implies started), StartAfter+SubmitAfter after the
	// invitation, as when a candidate finishes in one sitting.
	SkipStart bool
	// Results are handed out in turn, one per invitation; empty means DefaultAutoResult.
	Results []assessment.Result
	// Attempts is how often each callback is tried before it counts as failed (default 5), with
	// gaps doubling from RetryGap (default 500 ms): the front door may be busy, as with a real
	// platform that redelivers.
	Attempts int
	RetryGap time.Duration
}

// DefaultAutoResult is what an auto-played candidate scores when AutoPlay.Results is empty.
func DefaultAutoResult() assessment.Result {
	score, maxScore := 42.0, 60.0
	return assessment.Result{Score: &score, MaxScore: &maxScore, ReportURL: "https://platform.example/reports/auto"}
}

// AutoPlayStats counts what auto-play did.
type AutoPlayStats struct {
	Started, Submitted int
	// Skipped: the invitation was cancelled (or submitted by someone else) first.
	Skipped int
	// Failed: a callback was refused or unanswered on every attempt.
	Failed int
}

// autoState is guarded by Server.mu.
type autoState struct {
	play  *AutoPlay
	gen   uint64 // bumped by SetAutoPlay: timers of an earlier setting do nothing
	next  int    // index into play.Results
	stats AutoPlayStats
}

// SetAutoPlay switches auto-play on for invitations created from now on, or off with nil.
// Candidates already scheduled by an earlier setting stop where they are.
func (s *Server) SetAutoPlay(p *AutoPlay) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auto.gen++
	s.auto.play = nil
	if p == nil {
		return
	}
	c := *p
	c.Results = append([]assessment.Result(nil), p.Results...)
	if c.Attempts <= 0 {
		c.Attempts = 5
	}
	if c.RetryGap <= 0 {
		c.RetryGap = 500 * time.Millisecond
	}
	s.auto.play = &c
}

// AutoPlayStats returns the counters of auto-play so far.
func (s *Server) AutoPlayStats() AutoPlayStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auto.stats
}

// scheduleAutoPlay plans the candidate of a new invitation. Callers hold s.mu.
func (s *Server) scheduleAutoPlay(invitationID string) {
	p := s.auto.play
	if p == nil {
		return
	}
	res := DefaultAutoResult()
	if len(p.Results) > 0 {
		res = p.Results[s.auto.next%len(p.Results)]
		s.auto.next++
	}
	gen := s.auto.gen
	if p.SkipStart {
		time.AfterFunc(p.StartAfter+p.SubmitAfter, func() {
			s.autoAdvance(gen, *p, invitationID, assessment.EventSubmitted, &res)
		})
		return
	}
	time.AfterFunc(p.StartAfter, func() {
		if !s.autoAdvance(gen, *p, invitationID, assessment.EventStarted, nil) {
			return
		}
		time.AfterFunc(p.SubmitAfter, func() {
			s.autoAdvance(gen, *p, invitationID, assessment.EventSubmitted, &res)
		})
	})
}

// autoAdvance delivers one auto-played event, retrying refused or lost callbacks, and reports
// whether it was taken.
func (s *Server) autoAdvance(gen uint64, p AutoPlay, invitationID, event string, r *assessment.Result) bool {
	gap := p.RetryGap
	for attempt := 1; ; attempt++ {
		if !s.autoCurrent(gen) {
			return false
		}
		err := s.advance(context.Background(), invitationID, event, r)
		switch {
		case err == nil:
			s.autoCount(func(st *AutoPlayStats) {
				if event == assessment.EventStarted {
					st.Started++
				} else {
					st.Submitted++
				}
			})
			return true
		case errors.Is(err, errNotAdvanceable):
			s.autoCount(func(st *AutoPlayStats) { st.Skipped++ })
			return false
		case attempt >= p.Attempts:
			s.autoCount(func(st *AutoPlayStats) { st.Failed++ })
			return false
		}
		time.Sleep(gap) // a background goroutine of the simulator, not a test
		gap *= 2
	}
}

func (s *Server) autoCurrent(gen uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auto.play != nil && s.auto.gen == gen
}

func (s *Server) autoCount(f func(*AutoPlayStats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.auto.stats)
}

// errNotAdvanceable: the invitation's state forbids the event; trying again cannot help.
var errNotAdvanceable = errors.New("invitation cannot take this event")

func notAdvanceable(reason string) error { return fmt.Errorf("%s: %w", reason, errNotAdvanceable) }
