package main

import (
	"io"
	"time"
)

// Config is one chaos run. Zero fields get defaults scaled with Candidates (withDefaults).
type Config struct {
	Candidates  int
	Seed        uint64 // 0: a new seed
	BinDir      string // holds dev and worker
	Dir         string // data and logs
	Workers     int    // worker processes
	WorkerKills int
	DevKills    int
	// Intake is the time over which candidates enter the trigger stage.
	Intake time.Duration
	// ReplayAfter is how long after its first delivery a replayed webhook comes again.
	ReplayAfter time.Duration
	// Timeout bounds the run from the first webhook to the last candidate finished.
	Timeout time.Duration
	// Progress receives a line per kill and a progress line now and then; nil discards.
	Progress io.Writer
}

// Shares of the chaos, fixed so that runs of one size are comparable.
const (
	perAccount       = 50   // candidates per Lever account
	shareServerError = 0.10 // Lever answers 500
	shareTooMany     = 0.05 // Lever answers 429 (half with Retry-After)
	shareSlow        = 0.05 // Lever answers after the client's timeout
	shareLaterFirst  = 0.15 // a later stage change is delivered before the trigger
	shareStaleAfter  = 0.15 // an earlier stage change is delivered after the trigger
	shareReplay      = 0.20 // the trigger webhook comes again ReplayAfter later
	shareSubmitFirst = 0.25 // submitted is called back before started
	shareFlagged     = 0.15 // the platform flags the submission
	shareReferral    = 0.30 // the candidate has a tag of their own before the journey
	// leverClientTimeout is the Lever client's request timeout (lever.defaultTimeout); slow
	// answers come later than that.
	leverClientTimeout = 30 * time.Second
)

func (c Config) withDefaults() Config {
	n := time.Duration(max(c.Candidates, 1))
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.Intake <= 0 {
		c.Intake = clamp(n*250*time.Millisecond, 10*time.Second, time.Minute)
	}
	if c.ReplayAfter <= 0 {
		c.ReplayAfter = clamp(n*400*time.Millisecond, 20*time.Second, 90*time.Second)
	}
	if c.Timeout <= 0 {
		// A killed worker's activities are retried after a missed heartbeat (10 s), but a slow
		// Lever answer costs the client's 30 s and an attempt up to a minute: the tail is
		// minutes whatever the size.
		c.Timeout = 4*time.Minute + n*1200*time.Millisecond
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return c
}

// chaosWindow is when the kills happen: while candidates arrive and shortly after, when the
// most work is in flight.
func (c Config) chaosWindow() time.Duration { return c.Intake + 20*time.Second }

func clamp(d, lo, hi time.Duration) time.Duration { return min(max(d, lo), hi) }
