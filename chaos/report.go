package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// report is a carried-out run's outcome.
type report struct {
	cfg            Config
	accounts       int
	took           time.Duration // from the first webhook to the final count
	timedOut       bool
	verdicts       []verdict
	explained      []string // the first candidates not ok, with their workflows' own account
	workerKills    int
	devKills       int
	devDown        time.Duration
	faults         leversim.FaultCounts
	leverCalls     int
	templates      int // most feedback templates in one account (one expected)
	hooks          *hooks
	player         *player
	leaks          []leak
	secretsScanned int
	logBytes       int64
	problems       []string
}

func (r *report) count(f func(verdict) bool) int {
	n := 0
	for _, v := range r.verdicts {
		if f(v) {
			n++
		}
	}
	return n
}

// ok: nothing lost, duplicated, wrong or leaked, everything finished and carried out as planned.
func (r *report) ok() bool {
	return !r.timedOut && r.count(verdict.ok) == len(r.verdicts) && len(r.leaks) == 0 && len(r.problems) == 0
}

func (r *report) print(w io.Writer) {
	result := "PASS"
	if !r.ok() {
		result = "FAIL"
	}
	fmt.Fprintf(w, "\n## chaos run: %s\n\n", result)
	fmt.Fprintf(w, "%d candidates over %d Lever accounts, %d worker processes, seed %d; %s from the first webhook to the final count.\n\n",
		len(r.verdicts), r.accounts, r.cfg.Workers, r.cfg.Seed, r.took.Round(time.Second))
	h, p, f := r.hooks, r.player, r.faults
	rows := [][2]string{
		{"candidates", fmt.Sprint(len(r.verdicts))},
		{"finished as expected (1 invitation, 1 note, 1 feedback, rating, tags, workflow completed)", fmt.Sprint(r.count(func(v verdict) bool { return v.ok() && v.c.invited() }))},
		{"moved on before the journey began, so not invited as expected (no write, workflow cancelled)", fmt.Sprint(r.count(func(v verdict) bool { return v.ok() && !v.c.invited() }))},
		{"worker kills (SIGKILL, then restart)", fmt.Sprint(r.workerKills)},
		{"dev kills (SIGKILL of Temporal server and front door, restart on the same data)", fmt.Sprintf("%d (down %s at most)", r.devKills, r.devDown.Round(100*time.Millisecond))},
		{"Lever requests", fmt.Sprint(r.leverCalls)},
		{"Lever faults: 500", fmt.Sprint(f.ServerError)},
		{"Lever faults: 429 (of which with Retry-After)", fmt.Sprintf("%d (%d)", f.TooMany, f.TooManyRetryAfter)},
		{"Lever faults: answer later than the client's 30 s timeout", fmt.Sprint(f.Slow)},
		{"Lever faults: POST applied, then connection dropped", fmt.Sprint(f.Dropped)},
		{"webhooks delivered (of which duplicates)", fmt.Sprintf("%d (%d)", h.sent, h.dupes)},
		{"webhook deliveries out of order", fmt.Sprint(h.outOrder.Load())},
		{"webhooks replayed later (≥ " + r.cfg.ReplayAfter.String() + ")", fmt.Sprint(h.replays.Load())},
		{"webhook attempts unanswered or 5xx (retried)", fmt.Sprint(h.retries)},
		{"callbacks delivered (of which duplicates)", fmt.Sprintf("%d (%d)", p.sent, p.dupes)},
		{"candidates whose submitted came before started", fmt.Sprint(p.startedLate.Load())},
		{"callback attempts unanswered or 5xx (retried)", fmt.Sprint(p.retries)},
		{"feedback templates per account (1 expected)", fmt.Sprint(r.templates)},
		{"lost (no invitation, note or feedback)", fmt.Sprint(r.count(verdict.lost))},
		{"duplicated (a second invitation, note or feedback)", fmt.Sprint(r.count(verdict.duplicated))},
		{"wrong rating or tags", fmt.Sprint(r.count(verdict.wrong))},
		{"workflows not completed", fmt.Sprint(r.count(verdict.unfinished))},
		{fmt.Sprintf("secrets or candidate data in the logs (%d values, %.1f MiB of dev and worker logs)", r.secretsScanned, float64(r.logBytes)/(1<<20)), fmt.Sprint(len(r.leaks))},
	}
	fmt.Fprintln(w, "| what | count |")
	fmt.Fprintln(w, "|---|---|")
	for _, row := range rows {
		fmt.Fprintf(w, "| %s | %s |\n", row[0], row[1])
	}
	fmt.Fprintf(w, "\nwebhook answers by status: %s; callback answers by status: %s\n", byStatus(h.answers), byStatus(p.answers))
	if r.timedOut {
		fmt.Fprintf(w, "\nnot finished within %s\n", r.cfg.Timeout)
	}
	section(w, "candidates not as expected (first 10)", r.explained)
	section(w, "problems", r.problems)
	var leaks []string
	for _, l := range r.leaks {
		leaks = append(leaks, l.String())
	}
	section(w, "leaks", leaks)
}

func section(w io.Writer, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, l := range lines {
		fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(l, "\n", "\n    "))
	}
}

func byStatus(m map[int]int) string {
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%d × %d", m[s], s))
	}
	return strings.Join(parts, ", ")
}
