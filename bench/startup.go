package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// readyMarker is what dev prints once every part answers.
const readyMarker = "dev stack ready in"

// startup (goal 5): the dev binary with both simulators, from exec until it says it is ready;
// cold on a new data directory, warm on the same directory again. The median of the runs.
func startup(ctx context.Context, r *runner) ([]row, []string, error) {
	var cold, warm []time.Duration
	for i := range r.plan.startupRuns {
		dir := filepath.Join(r.runDir, fmt.Sprintf("startup-%d", i))
		c, err := devReady(ctx, r, dir)
		if err != nil {
			return nil, nil, fmt.Errorf("cold start: %w", err)
		}
		w, err := devReady(ctx, r, dir)
		if err != nil {
			return nil, nil, fmt.Errorf("warm start: %w", err)
		}
		cold, warm = append(cold, c), append(warm, w)
		r.log("  cold %s, warm %s", c.Round(time.Millisecond), w.Round(time.Millisecond))
	}
	c, w := median(cold), median(warm)
	rows := []row{
		atMost("5", "dev cold start (new data dir) to ready", c.Seconds(), 5, seconds(c.Seconds()), "≤ 5 s"),
		atMost("5", "dev warm start (same data dir) to ready", w.Seconds(), 3, seconds(w.Seconds()), "≤ 3 s"),
	}
	note := fmt.Sprintf("goal 5: median of %d runs of `dev --with-sims` from exec to its ready line; the issue names no number, the targets are this bench's.", r.plan.startupRuns)
	return rows, []string{note}, nil
}

// devReady starts dev on dir, times it to its ready line and stops it with SIGINT.
func devReady(ctx context.Context, r *runner, dir string) (time.Duration, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return 0, err
	}
	args := []string{"--with-sims", "--data-dir", dir, "--http-addr", "127.0.0.1:0", "--ui-port", "0", "--temporal-port", "0",
		"--sim-lever-addr", "127.0.0.1:0", "--sim-platform-addr", "127.0.0.1:0"}
	env := baseEnv(map[string]string{"ASSESSBRIDGE_LOG_LEVEL": "warn"})
	began := time.Now()
	c, err := startChild("dev", filepath.Join(r.binDir, "dev"), args, env, dir+".log")
	if err != nil {
		return 0, err
	}
	if _, err := c.waitLine(ctx, readyMarker, 2*time.Minute); err != nil {
		_ = c.stop(5 * time.Second)
		return 0, err
	}
	took := time.Since(began)
	return took, c.interrupt(30 * time.Second)
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
