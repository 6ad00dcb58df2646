// Command bench measures assessbridge on the embedded stack and prints one table: each figure,
// its goal and PASS/FAIL, appended with the date, commit and machine to bench/RESULTS.md.
// Figures are ratios and counts measured within one run, never timed tests:
//
//  1. webhook intake vs raw client.ExecuteWorkflow starts on the same server;
//  2. Lever calls per completed candidate on the happy path, counted by the Lever simulator;
//  3. two worker processes sharing one account's Lever budget: 429s and achieved calls/s;
//  4. 10,000 candidates waiting at once: worker and server RSS, the server's database size,
//     then the drain;
//  5. dev start-up, cold (new data dir) and warm;
//  6. stage change → invitation, one candidate at a time and in a steady stream, and the
//     webhook's acknowledgement;
//  7. a worker killed with activities in flight: kill → each candidate's next step done.
//
// Each scenario gets a fresh Temporal server in a child process (this binary, "bench
// temporal"), the production worker binary as its worker processes, and the simulators and
// front door in this process. The server is the embedded one on SQLite, or with
// -temporal-postgres the server on PostgreSQL (package test/temporalpg) on fresh databases:
// where the embedded server is the limit, the same scenario shows what the production
// persistence does on the same machine. `make bench` runs the full sizes, `make bench-quick` (-quick) a
// smoke run under two minutes whose goals are informative only.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == temporalRole {
		err = runTemporal(ctx, os.Args[2:])
	} else {
		err = realMain(ctx, os.Args[1:])
	}
	if errors.Is(err, errGoalsMissed) {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
