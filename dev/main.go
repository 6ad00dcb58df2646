// Command dev runs the embedded default in one process: a Temporal server persisting to SQLite
// under the data directory, the Temporal Web UI, the worker and the HTTP front door. Simulators
// stand in for either side: --sim-lever (with a seeded demo account), --sim-platform, or both
// with --with-sims; with --demo it drives scripted candidates through the journey and exits.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/devstack"
	"github.com/assessbridge/assessbridge/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dev:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	withSims := fs.Bool("with-sims", false, "run both simulators (--sim-lever and --sim-platform)")
	simLever := fs.Bool("sim-lever", false, "a simulated Lever with a seeded demo account stands in for Lever")
	simPlatform := fs.Bool("sim-platform", false, "a simulated assessment platform stands in for the platform")
	demo := fs.Bool("demo", false, "drive scripted candidates through the journey, print the results and exit (implies --with-sims)")
	simLeverAddr := fs.String("sim-lever-addr", "127.0.0.1:8091", "listen address of the Lever simulator")
	simPlatformAddr := fs.String("sim-platform-addr", "127.0.0.1:8092", "listen address of the platform simulator")
	noWorker := fs.Bool("no-worker", false, "run no worker in this process (worker processes poll the task queue instead)")
	fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "directory for the Temporal database, the store and the secret key (env ASSESSBRIDGE_DATA_DIR)")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", cfg.HTTPAddr, "front door listen address (env ASSESSBRIDGE_HTTP_ADDR)")
	fs.IntVar(&cfg.UIPort, "ui-port", cfg.UIPort, "Temporal Web UI port, -1 for none (env ASSESSBRIDGE_UI_PORT)")
	fs.IntVar(&cfg.TemporalPort, "temporal-port", cfg.TemporalPort, "Temporal gRPC port (env ASSESSBRIDGE_TEMPORAL_PORT)")
	storeSet := os.Getenv("ASSESSBRIDGE_STORE_DSN") != ""
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !storeSet {
		cfg.StoreDSN = cfg.DataDir + "/assessbridge.db"
	}
	if os.Getenv("ASSESSBRIDGE_PUBLIC_URL") == "" {
		cfg.PublicURL = "http://" + cfg.HTTPAddr
	}
	z, err := logging.NewConsole(cfg.LogLevel) // a person at a terminal; worker and starter log JSON
	if err != nil {
		return err
	}
	if *demo {
		*withSims = true
		z = zap.NewNop() // the demo's own output is the report
	}
	defer func() { _ = z.Sync() }()

	began := time.Now()
	stack, err := devstack.Start(ctx, devstack.Options{Config: cfg, WithSims: *withSims,
		SimLever: *simLever, SimPlatform: *simPlatform,
		SimAddrs: [2]string{*simLeverAddr, *simPlatformAddr}, NoWorker: *noWorker, Logger: z})
	if err != nil {
		return err
	}
	defer func() { _ = stack.Stop() }()
	printWhere(ctx, out, stack, time.Since(began))

	if *demo {
		return devstack.RunDemo(ctx, stack, out)
	}
	<-ctx.Done()
	fmt.Fprintln(out, "stopping…")
	return stack.Stop()
}

func printWhere(ctx context.Context, out io.Writer, s *devstack.Stack, took time.Duration) {
	fmt.Fprintf(out, "assessbridge dev stack ready in %s (data in %s)\n", took.Round(time.Millisecond), s.Config.DataDir)
	for _, line := range s.Sides(ctx) {
		fmt.Fprintf(out, "  %s\n", line)
	}
	if ui := s.UIURL(); ui != "" {
		fmt.Fprintf(out, "  Temporal Web UI:     %s/namespaces/%s/workflows\n", ui, s.Config.TemporalNamespace)
	}
	fmt.Fprintf(out, "  Temporal frontend:   %s\n", s.Config.TemporalAddress)
	fmt.Fprintf(out, "  front door:          %s (webhooks: %s, callbacks: %s)\n", s.HTTPURL(), s.Config.WebhookURL("{account}"), s.Config.CallbackURL())
	fmt.Fprintf(out, "  admin page:          %s/admin (password in %s/admin-password unless ASSESSBRIDGE_ADMIN_PASSWORD is set)\n", s.HTTPURL(), s.Config.DataDir)
	if !s.LeverSimulated() {
		return
	}
	// The environment account has no posting mappings: Grace's posting names her assessment in a tag.
	account, candidate := devstack.DemoAccount, "cand-ada"
	if s.Config.EnvAccount() {
		account, candidate = config.EnvAccountID, "cand-grace"
	}
	fmt.Fprintf(out, "  try: curl -X POST %s/_sim/opportunities/%s/stage -d '{\"account\":%q,\"stageId\":%q}'\n",
		s.Sims.LeverURL, candidate, account, devstack.DemoTriggerStage)
}
