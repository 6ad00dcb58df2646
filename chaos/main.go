// Command chaos runs candidates through the embedded stack while it kills worker processes and
// the whole dev process with SIGKILL, makes the Lever simulator flaky (500s, 429s, answers past
// the client's timeout, a write applied and then its connection dropped) and delivers every
// Lever webhook and platform callback twice, some out of order and some minutes late. At the
// end it checks each candidate in the simulators' own records (one invitation, one note, one
// feedback with the right rating, the right tags), scans the processes' logs for secrets and
// candidate data, prints a table and exits non-zero on any loss, duplicate or leak.
//
// The Lever and platform simulators run in this process, so their records survive the kills;
// dev (Temporal server and front door, without its own worker) and the workers are the built
// binaries in -bin.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string, out io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("chaos", flag.ContinueOnError)
	fs.IntVar(&cfg.Candidates, "candidates", 200, "candidates to run through the stack")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "seed of every random choice (0: a new one, printed so the run can be repeated)")
	fs.StringVar(&cfg.BinDir, "bin", "bin", "directory of the dev and worker binaries")
	fs.StringVar(&cfg.Dir, "dir", "", "directory for data and logs (default: a new temporary one, removed after a clean run)")
	fs.IntVar(&cfg.Workers, "workers", 2, "worker processes")
	fs.IntVar(&cfg.WorkerKills, "worker-kills", 4, "times a worker process is killed and restarted")
	fs.IntVar(&cfg.DevKills, "dev-kills", 1, "times the dev process (Temporal server included) is killed and restarted")
	if err := fs.Parse(args); err != nil {
		return err
	}
	keep := cfg.Dir != ""
	if cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "assessbridge-chaos-")
		if err != nil {
			return fmt.Errorf("run directory: %w", err)
		}
		cfg.Dir = dir
	}
	cfg.Progress = out
	rep, err := Run(ctx, cfg)
	if rep != nil {
		rep.print(out)
	}
	if err == nil && !rep.ok() {
		err = errors.New("the run lost, duplicated or leaked something (see the table)")
	}
	if err != nil {
		fmt.Fprintf(out, "data and logs kept in %s\n", cfg.Dir)
		return err
	}
	if !keep {
		_ = os.RemoveAll(cfg.Dir)
	}
	return nil
}
