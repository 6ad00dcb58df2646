package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/assessbridge/assessbridge/workflows"
)

// What every chaos account has in Lever and in the store: one posting mapped to one assessment,
// three stages (the middle one triggers) and a user to post as.
const (
	stagePhone      = "stage-phone"
	stageAssessment = "stage-assessment"
	stageOnsite     = "stage-onsite"
	chaosUser       = "user-chaos"
	chaosPosting    = "posting-platform-eng"
	chaosAssessment = "asmt-go-basics"
	chaosTitle      = "Go Basics"
	referralTag     = "Referral"
)

// account is a Lever account of the run with its secrets.
type account struct {
	id           string
	apiKey       string // Lever API key (HTTP Basic user name)
	webhookToken string // signs its webhooks
}

// hookOrder is how a candidate's Lever webhooks arrive.
type hookOrder int

const (
	inOrder    hookOrder = iota // the trigger stage change, twice
	laterFirst                  // the candidate moves on at once: that later change arrives first; not invited
	staleAfter                  // an earlier change (into the phone screen) arrives after the trigger
)

// candidate is one candidate's part in the run, decided up front from the seed.
type candidate struct {
	index        int
	account      *account
	opportunity  string
	name, email  string // personal data: must never reach a log
	referral     bool   // has a tag of their own, which must survive
	arrive       time.Duration
	order        hookOrder
	replay       time.Duration // 0: no replay; else how long after the first delivery
	submitFirst  bool          // submitted is called back before started
	startAfter   time.Duration // from the invitation to started
	submitAfter  time.Duration // from started to submitted
	score, max   int
	flagged      bool
	proctorNotes string
}

func (c *candidate) workflowID() string { return workflows.WorkflowID(c.account.id, c.opportunity) }

// wantRating is the feedback rating, as the Lever option text, for the score: 0–34 % → 1,
// 35–49 % → 2, 50–74 % → 3, 75–100 % → 4. Integer arithmetic, so the band edges are exact.
func (c *candidate) wantRating() string {
	p := c.score * 100 // compared with edge × max: score/max ≥ edge/100
	switch {
	case p >= 75*c.max:
		return "4 - Strong Hire"
	case p >= 50*c.max:
		return "3 - Hire"
	case p >= 35*c.max:
		return "2 - No Hire"
	}
	return "1 - Strong No Hire"
}

// invited: a candidate whom the recruiter moved on at once is no longer in the trigger stage
// when the journey reads Lever, so the (signed but unverifiable) delivery is not acted on.
func (c *candidate) invited() bool { return c.order != laterFirst }

// wantTags are the candidate's tags once the journey is over, sorted.
func (c *candidate) wantTags() []string {
	var tags []string
	if c.invited() {
		tags = append(tags, chaosTitle+" - Submitted")
	}
	if c.invited() && c.flagged {
		tags = append(tags, chaosTitle+" - Flagged")
	}
	if c.referral {
		tags = append(tags, referralTag)
	}
	slices.Sort(tags)
	return tags
}

// edgeScores put the first candidates on the rating bands' edges, so even a small run checks them.
var edgeScores = [][2]int{{34, 100}, {35, 100}, {49, 100}, {50, 100}, {74, 100}, {75, 100}, {7, 20}, {0, 40}, {20, 20}}

var (
	firstNames = []string{"Ottoline", "Bertrand", "Zuleika", "Ignatius", "Philippa", "Cornelius", "Marisol", "Evander",
		"Rosalind", "Thaddeus", "Seraphina", "Leopold", "Winifred", "Casimir", "Araminta", "Florian", "Genevieve", "Ambrose", "Perpetua", "Lysander"}
	lastNames = []string{"Quennell", "Abernathy", "Villiers", "Okonkwo", "Vasquez-Thorne", "Lindqvist", "Marchetti", "Oyelaran",
		"Featherstonehaugh", "Kowalczyk", "Delacroix", "Nakashima", "Grimaldi", "Thistlewood", "Ekwueme", "Halvorsen", "Montague", "Szabo", "Achterberg", "Ravenscroft"}
)

// plan is every random choice of the run, drawn from one seeded source before anything runs.
type plan struct {
	accounts   []*account
	candidates []*candidate
	byRef      map[string]*candidate // by workflow id, the platform reference
	workerKill []kill
	devKill    []kill
	faultSeed  uint64
}

// kill is one planned SIGKILL: when, which worker (for workers) and the pause before the restart.
type kill struct {
	at, pause time.Duration
	worker    int
}

func newPlan(cfg Config, rng *rand.Rand, secret func() string) *plan {
	p := &plan{byRef: map[string]*candidate{}, faultSeed: rng.Uint64()}
	nAccounts := (cfg.Candidates + perAccount - 1) / perAccount
	for i := range max(nAccounts, 1) {
		p.accounts = append(p.accounts, &account{id: fmt.Sprintf("chaos-%d", i+1), apiKey: secret(), webhookToken: secret()})
	}
	between := func(lo, hi time.Duration) time.Duration { return lo + time.Duration(rng.Int64N(int64(hi-lo)+1)) }
	for i := range cfg.Candidates {
		c := &candidate{
			index:       i,
			account:     p.accounts[i%len(p.accounts)],
			opportunity: fmt.Sprintf("opp-%05d", i),
			name:        fmt.Sprintf("%s %s", firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]),
			referral:    rng.Float64() < shareReferral,
			arrive:      between(0, cfg.Intake),
			startAfter:  between(300*time.Millisecond, 3*time.Second),
			submitAfter: between(300*time.Millisecond, 3*time.Second),
			submitFirst: rng.Float64() < shareSubmitFirst,
			flagged:     rng.Float64() < shareFlagged,
		}
		if n := len(firstNames) * len(lastNames); i >= n {
			c.name += fmt.Sprintf(" %d", i/n+1) // more candidates than name pairs
		}
		c.email = fmt.Sprintf("%s.%x@candidates.example", c.opportunity, rng.Uint32())
		switch u := rng.Float64(); {
		case u < shareLaterFirst:
			c.order = laterFirst
		case u < shareLaterFirst+shareStaleAfter:
			c.order = staleAfter
		}
		if rng.Float64() < shareReplay {
			c.replay = between(cfg.ReplayAfter, cfg.ReplayAfter*3/2)
		}
		if i < len(edgeScores) {
			c.score, c.max = edgeScores[i][0], edgeScores[i][1]
		} else {
			c.max = []int{100, 100, 100, 20, 40}[rng.IntN(5)]
			c.score = rng.IntN(c.max + 1)
		}
		if c.flagged {
			c.proctorNotes = "pasted code from another window"
		}
		p.candidates = append(p.candidates, c)
		p.byRef[c.workflowID()] = c
	}
	window := cfg.chaosWindow()
	first := rng.IntN(max(cfg.Workers, 1))
	for i := range cfg.WorkerKills {
		// Kills are sorted by time when carried out; taking the workers in turn spreads them.
		p.workerKill = append(p.workerKill, kill{at: between(window/20, window*9/10),
			pause: between(0, 1500*time.Millisecond), worker: (first + i) % max(cfg.Workers, 1)})
	}
	for range cfg.DevKills {
		// Down for seconds, so webhooks and callbacks meet the closed door.
		p.devKill = append(p.devKill, kill{at: between(window*3/10, window*7/10), pause: between(2*time.Second, 5*time.Second)})
	}
	return p
}
