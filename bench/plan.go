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

	startupRuns int
}

var fullPlan = plan{
	name: "full", enforce: true,
	intakeStarts: 1000, intakeRounds: 4, intakeConcurrency: 32,
	callsCandidates:   60,
	ceilingCandidates: 1000, ceilingSettle: 5 * time.Second, ceilingWindow: 60 * time.Second,
	scaleCandidates: 10000, scaleAccounts: 20, scaleWaitCap: 5 * time.Minute, scaleDrainCap: 3*time.Minute + 30*time.Second,
	startupRuns: 3,
}

var quickPlan = plan{
	name:         "quick",
	intakeStarts: 200, intakeRounds: 2, intakeConcurrency: 32,
	callsCandidates:   6,
	ceilingCandidates: 200, ceilingSettle: 3 * time.Second, ceilingWindow: 10 * time.Second,
	scaleCandidates: 100, scaleAccounts: 10, scaleWaitCap: time.Minute, scaleDrainCap: time.Minute,
	startupRuns: 1,
}

// Lever's documented limit, which the simulator enforces per account.
const (
	leverRate  = 10.0
	leverBurst = 20
)
