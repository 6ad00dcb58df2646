package main

import "time"

// plan sizes one run. The full plan is what the goals are judged on; the quick one only
// shows that every scenario still works.
type plan struct {
	name    string
	enforce bool // missed goals fail the run (the full sizes only)

	intakeStarts      int // per path (signed webhooks, raw starts), over intakeRounds rounds
	intakeRounds      int
	intakeConcurrency int

	callsCandidates int

	ceilingCandidates int
	ceilingSettle     time.Duration // after the intake, before the window opens
	ceilingWindow     time.Duration

	scaleCandidates int
	scaleAccounts   int
	// The phases of goal 4 are cut off here, so a slow server makes the run report how far it
	// got instead of overrunning its time.
	scaleWaitCap, scaleDrainCap time.Duration
	// scaleIdleWindow: how long the idle CPU is measured, without and then with the accounts.
	scaleIdleWindow time.Duration

	startupRuns int

	// Goal 6: stage change → invitation. latencyOneByOne candidates one at a time, then
	// latencyRate candidates a second for latencyFor, over latencyAccounts accounts.
	latencyOneByOne int
	latencyRate     float64
	latencyFor      time.Duration
	latencyAccounts int

	// Goal 7: a worker killed with crashCandidates activities in flight; crashCap bounds the
	// wait for all of them to move on.
	crashCandidates int
	crashCap        time.Duration
}

var fullPlan = plan{
	name: "full", enforce: true,
	intakeStarts: 1000, intakeRounds: 4, intakeConcurrency: 32,
	callsCandidates:   60,
	ceilingCandidates: 1000, ceilingSettle: 5 * time.Second, ceilingWindow: 60 * time.Second,
	scaleCandidates: 10000, scaleAccounts: 20, scaleWaitCap: 5 * time.Minute, scaleDrainCap: 3*time.Minute + 30*time.Second, scaleIdleWindow: 10 * time.Second,
	startupRuns:     3,
	latencyOneByOne: 200, latencyRate: 20, latencyFor: 60 * time.Second, latencyAccounts: 10,
	crashCandidates: 100, crashCap: 3 * time.Minute,
}

var quickPlan = plan{
	name:         "quick",
	intakeStarts: 200, intakeRounds: 2, intakeConcurrency: 32,
	callsCandidates:   6,
	ceilingCandidates: 200, ceilingSettle: 3 * time.Second, ceilingWindow: 10 * time.Second,
	scaleCandidates: 100, scaleAccounts: 10, scaleWaitCap: time.Minute, scaleDrainCap: time.Minute, scaleIdleWindow: 2 * time.Second,
	startupRuns:     1,
	latencyOneByOne: 20, latencyRate: 20, latencyFor: 5 * time.Second, latencyAccounts: 10,
	crashCandidates: 20, crashCap: time.Minute,
}

// Lever's documented limit, which the simulator enforces per account.
const (
	leverRate  = 10.0
	leverBurst = 20
)
