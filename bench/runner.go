package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

// errGoalsMissed: the full run measured everything and some goal was missed.
var errGoalsMissed = errors.New("goals missed")

// runner holds what every scenario needs.
type runner struct {
	plan   plan
	self   string // this binary, for the Temporal server role
	binDir string // the worker and dev binaries
	runDir string // scratch data of this run
	// serverProfile: goal 4's server writes its CPU profile here ("" none).
	serverProfile string
	// temporalPostgres: each scenario's Temporal server runs on PostgreSQL there ("" embedded).
	temporalPostgres string
	keep             bool // -keep: leave the run's data, PostgreSQL databases included
	log              func(format string, args ...any)
}

// scenario is one of the goals.
type scenario struct {
	name string
	goal string
	run  func(ctx context.Context, r *runner) ([]row, []string, error) // rows, notes
}

var scenarios = []scenario{
	{"intake", "1", intake},
	{"calls", "2", callsPerCandidate},
	{"ceiling", "3", ceiling},
	{"scale", "4", scale},
	{"startup", "5", startup},
	{"latency", "6", latency},
	{"crash", "7", crash},
}

func realMain(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	quick := fs.Bool("quick", false, "small sizes: a smoke run under two minutes; goals are shown, not enforced")
	binDir := fs.String("bin", "bin", "directory holding the worker and dev binaries (make build)")
	results := fs.String("results", "bench/RESULTS.md", "file the table is appended to; empty for none")
	only := fs.String("only", "", "comma-separated scenarios to run ("+scenarioNames()+"); default all")
	keep := fs.Bool("keep", false, "keep the run's data directory (logs, databases) and print where")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (front door, simulators) to the file")
	scaleN := fs.Int("scale-candidates", 0, "goal 4 at another size, to try it out (0: the plan's)")
	serverProfile := fs.String("server-cpuprofile", "", "write a CPU profile of goal 4's Temporal server process to the file")
	temporalPG := fs.String("temporal-postgres", "", "run each scenario's Temporal server on PostgreSQL at this DSN (postgres://user@host:port/db), "+
		"on fresh databases dropped after it; empty: the embedded SQLite server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p := fullPlan
	if *quick {
		p = quickPlan
	}
	var variant []string
	if *scaleN > 0 {
		p.scaleCandidates = *scaleN
		variant = append(variant, fmt.Sprintf("goal 4 with %d candidates", *scaleN))
		p.enforce = false
	}
	serverNote := sqliteNote
	if *temporalPG != "" {
		// Fail now rather than in every scenario.
		db, err := openPostgres(ctx, *temporalPG)
		if err != nil {
			return fmt.Errorf("-temporal-postgres: %w", err)
		}
		db.Close()
		variant = append(variant, "Temporal on PostgreSQL")
		serverNote = postgresNote(*temporalPG)
	}
	if len(variant) > 0 {
		p.name += " (" + strings.Join(variant, "; ") + ")"
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("own path: %w", err)
	}
	for _, bin := range []string{"worker", "dev"} {
		if _, err := os.Stat(filepath.Join(*binDir, bin)); err != nil {
			return fmt.Errorf("%s binary missing in %s (run make build): %w", bin, *binDir, err)
		}
	}
	absBin, err := filepath.Abs(*binDir)
	if err != nil {
		return err
	}
	runDir, err := os.MkdirTemp("", "assessbridge-bench-")
	if err != nil {
		return fmt.Errorf("run dir: %w", err)
	}
	if *keep {
		fmt.Fprintf(os.Stderr, "bench: data kept in %s\n", runDir)
	} else {
		defer os.RemoveAll(runDir)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *serverProfile != "" {
		if *serverProfile, err = filepath.Abs(*serverProfile); err != nil {
			return err
		}
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	r := &runner{plan: p, self: self, binDir: absBin, runDir: runDir, serverProfile: *serverProfile,
		temporalPostgres: *temporalPG, keep: *keep, log: logf}

	began := time.Now()
	var rows []row
	notes := []string{serverNote}
	crashed := false
	for _, sc := range scenarios {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), sc.name) {
			continue
		}
		r.log("%s (goal %s)…", sc.name, sc.goal)
		t := time.Now()
		got, more, err := sc.run(ctx, r)
		rows = append(rows, got...)
		notes = append(notes, more...)
		if err != nil {
			crashed = true
			rows = append(rows, errorRow(sc.goal, sc.name, err))
			r.log("%s failed: %v", sc.name, err)
		}
		r.log("%s done in %s", sc.name, time.Since(t).Round(time.Second))
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int { return strings.Compare(a.goal, b.goal) })
	took := time.Since(began)

	report := render(p, describeMachine(ctx), rows, notes, took)
	fmt.Print("\n" + report)
	if *results != "" {
		if err := appendResults(*results, report); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: appended to %s\n", *results)
	}
	missed := failed(rows)
	switch {
	case crashed:
		return fmt.Errorf("a scenario did not finish: %s", strings.Join(missed, "; "))
	case len(missed) > 0 && p.enforce:
		return fmt.Errorf("%w: %s", errGoalsMissed, strings.Join(missed, "; "))
	}
	return nil
}

func scenarioNames() string {
	var names []string
	for _, sc := range scenarios {
		names = append(names, sc.name)
	}
	return strings.Join(names, ",")
}
