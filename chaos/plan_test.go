package main

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestWantRating(t *testing.T) {
	tests := []struct {
		score, max int
		want       string
	}{
		{0, 100, "1 - Strong No Hire"},
		{34, 100, "1 - Strong No Hire"},
		{35, 100, "2 - No Hire"},
		{49, 100, "2 - No Hire"},
		{50, 100, "3 - Hire"},
		{74, 100, "3 - Hire"},
		{75, 100, "4 - Strong Hire"},
		{100, 100, "4 - Strong Hire"},
		{6, 20, "1 - Strong No Hire"},  // 30 %
		{7, 20, "2 - No Hire"},         // exactly 35 %
		{13, 40, "1 - Strong No Hire"}, // 32.5 %
		{14, 40, "2 - No Hire"},        // exactly 35 %
		{29, 40, "3 - Hire"},           // 72.5 %
		{30, 40, "4 - Strong Hire"},    // exactly 75 %
	}
	for _, tt := range tests {
		c := candidate{score: tt.score, max: tt.max}
		if got := c.wantRating(); got != tt.want {
			t.Errorf("%d of %d: got %q, want %q", tt.score, tt.max, got, tt.want)
		}
	}
}

func TestWantTags(t *testing.T) {
	tests := []struct {
		flagged, referral bool
		want              []string
	}{
		{false, false, []string{"Go Basics - Submitted"}},
		{true, false, []string{"Go Basics - Flagged", "Go Basics - Submitted"}},
		{true, true, []string{"Go Basics - Flagged", "Go Basics - Submitted", "Referral"}},
	}
	for _, tt := range tests {
		c := candidate{flagged: tt.flagged, referral: tt.referral}
		if got := c.wantTags(); !slices.Equal(got, tt.want) {
			t.Errorf("flagged %v, referral %v: got %q, want %q", tt.flagged, tt.referral, got, tt.want)
		}
	}
}

// TestPlanRepeatable: a seed fixes every choice but the secrets, which are fresh each run.
func TestPlanRepeatable(t *testing.T) {
	cfg := Config{Candidates: 120, WorkerKills: 4, DevKills: 1}.withDefaults()
	n := 0
	secret := func() string { n++; return "secret-" + strconv.Itoa(n) }
	newFrom := func(seed uint64) *plan { return newPlan(cfg, rand.New(rand.NewPCG(seed, ^seed)), secret) }
	a, b, other := newFrom(7), newFrom(7), newFrom(8)
	if got := summary(a); got != summary(b) {
		t.Errorf("seed 7 twice: got different plans:\n%s\n%s", got, summary(b))
	}
	if summary(a) == summary(other) {
		t.Error("seeds 7 and 8: got the same plan, want different")
	}
	if len(a.accounts) != 3 || len(a.workerKill) != 4 || len(a.devKill) != 1 || len(a.byRef) != 120 {
		t.Errorf("plan: got %d accounts, %d worker kills, %d dev kills, %d references; want 3, 4, 1, 120",
			len(a.accounts), len(a.workerKill), len(a.devKill), len(a.byRef))
	}
	names := map[string]bool{}
	for _, c := range a.candidates {
		if names[c.name] {
			t.Errorf("name %q given twice: the secret scan needs each candidate's own", c.name)
		}
		names[c.name] = true
		if c.arrive < 0 || c.arrive > cfg.Intake {
			t.Errorf("%s arrives at %s, want within the intake %s", c.opportunity, c.arrive, cfg.Intake)
		}
	}
	for _, k := range append(a.workerKill, a.devKill...) {
		if k.at <= 0 || k.at > cfg.chaosWindow() {
			t.Errorf("kill at %s, want within the chaos window %s", k.at, cfg.chaosWindow())
		}
	}
}

// summary renders a plan's seeded choices.
func summary(p *plan) string {
	s := ""
	for _, c := range p.candidates {
		s += c.opportunity + c.name + c.account.id + c.arrive.String() + strconv.Itoa(int(c.order)) + c.replay.String() +
			strconv.FormatBool(c.submitFirst) + strconv.Itoa(c.score) + "/" + strconv.Itoa(c.max) + strconv.FormatBool(c.flagged) +
			strconv.FormatBool(c.referral) + (c.startAfter + c.submitAfter).String() + "\n"
	}
	for _, k := range append(p.workerKill, p.devKill...) {
		s += k.at.String() + k.pause.String() + strconv.Itoa(k.worker) + "\n"
	}
	return s + strconv.FormatUint(p.faultSeed, 10)
}

func TestDefaultsScale(t *testing.T) {
	tests := []struct {
		n                      int
		intake, replay, timout time.Duration
	}{
		{20, 10 * time.Second, 20 * time.Second, 4*time.Minute + 24*time.Second},
		{200, 50 * time.Second, 80 * time.Second, 8 * time.Minute},
		{2000, time.Minute, 90 * time.Second, 4*time.Minute + 2400*time.Second},
	}
	for _, tt := range tests {
		c := Config{Candidates: tt.n}.withDefaults()
		if c.Intake != tt.intake || c.ReplayAfter != tt.replay || c.Timeout != tt.timout {
			t.Errorf("%d candidates: got intake %s, replay %s, timeout %s; want %s, %s, %s",
				tt.n, c.Intake, c.ReplayAfter, c.Timeout, tt.intake, tt.replay, tt.timout)
		}
	}
}
