// Command dev runs the embedded default in one process: a Temporal server persisting to SQLite
// under the data directory, the Temporal Web UI, the worker and the HTTP front door. Simulators
// stand in for either side: --sim-lever (with a seeded demo account), --sim-platform, or both
// with --with-sims; with --demo it drives scripted candidates through the journey and exits;
// with --sims-only it serves the simulators alone.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/devstack"
	"github.com/assessbridge/assessbridge/logging"
)

const usage = `usage: dev [flags]

dev runs assessbridge on one machine in one process: a Temporal server persisting to SQLite in the
data directory, the Temporal Web UI, a worker and the front door. Simulators stand in for Lever
(--sim-lever) and the assessment platform (--sim-platform); --sims-only serves just them.
Settings come from the environment (README.md, Configuration); the flags below override them.
A taken port is reported with the flag or variable that moves it.

flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx, os.Args[1:], os.Environ(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dev:", err)
		os.Exit(1)
	}
}

// realMain runs the dev stack; asked for help (-h, --help) it prints the usage to out and returns
// nil. A malformed environment is reported only after the flags are parsed, so -h always works.
func realMain(ctx context.Context, args, environ []string, out io.Writer) error {
	cfg, cfgErr := config.LoadEnviron(environ)
	if cfgErr != nil {
		cfg = config.Config{} // flags show no defaults; the error is returned once they are parsed
	}
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	withSims := fs.Bool("with-sims", false, "run both simulators (--sim-lever and --sim-platform)")
	simLever := fs.Bool("sim-lever", false, "a simulated Lever with a seeded demo account stands in for Lever")
	simPlatform := fs.Bool("sim-platform", false, "a simulated assessment platform stands in for the platform")
	simsOnly := fs.Bool("sims-only", false, "serve only the simulators (both, or those chosen with --sim-lever/--sim-platform), with a read-only view at "+devstack.StatePath+"; webhooks and callbacks go to ASSESSBRIDGE_PUBLIC_URL")
	demo := fs.Bool("demo", false, "drive scripted candidates through the journey, print the results and exit (implies --with-sims)")
	simLeverAddr := fs.String("sim-lever-addr", "127.0.0.1:8091", "listen address of the Lever simulator")
	simPlatformAddr := fs.String("sim-platform-addr", "127.0.0.1:8092", "listen address of the platform simulator")
	noWorker := fs.Bool("no-worker", false, "run no worker in this process (worker processes poll the task queue instead)")
	fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "directory for the Temporal database, the store and the secret key (env ASSESSBRIDGE_DATA_DIR)")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", cfg.HTTPAddr, "front door listen address (env ASSESSBRIDGE_HTTP_ADDR)")
	fs.IntVar(&cfg.UIPort, "ui-port", cfg.UIPort, "Temporal Web UI port, -1 for none (env ASSESSBRIDGE_UI_PORT)")
	fs.IntVar(&cfg.TemporalPort, "temporal-port", cfg.TemporalPort, "Temporal gRPC port (env ASSESSBRIDGE_TEMPORAL_PORT)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (dev -h lists the flags)", fs.Arg(0))
	}
	if cfgErr != nil {
		return cfgErr
	}
	env := map[string]bool{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.TrimSpace(v) != "" {
			env[k] = true
		}
	}
	if !env["ASSESSBRIDGE_STORE_DSN"] {
		cfg.StoreDSN = cfg.DataDir + "/assessbridge.db"
	}
	if !env["ASSESSBRIDGE_PUBLIC_URL"] {
		cfg.PublicURL = "http://" + cfg.HTTPAddr
	}
	addrs := [2]string{*simLeverAddr, *simPlatformAddr}
	if *simsOnly {
		both := !*simLever && !*simPlatform
		return runSims(ctx, out, devstack.Options{Config: cfg, WithSims: both, SimLever: *simLever, SimPlatform: *simPlatform, SimAddrs: addrs})
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
		SimAddrs: addrs, NoWorker: *noWorker, Logger: z})
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
	if s.Sims != nil {
		fmt.Fprintf(out, "  simulators' state:   %s%s (read-only)\n", simURL(s.Sims), devstack.StatePath)
	}
	for _, line := range s.TryLines(ctx) {
		fmt.Fprintf(out, "  %s\n", line)
	}
}

// runSims serves the simulators alone until ctx ends.
func runSims(ctx context.Context, out io.Writer, opts devstack.Options) error {
	configured := opts.Config
	sims, cfg, err := devstack.StartSims(ctx, opts)
	if err != nil {
		return err
	}
	defer sims.Stop()
	fmt.Fprintln(out, "assessbridge simulators (nothing else runs here; they keep everything in memory and forget it all when stopped)")
	if sims.Lever != nil {
		accounts := fmt.Sprintf("account %q", devstack.DemoAccount)
		if cfg.EnvAccount() {
			accounts += fmt.Sprintf(" and %q (ASSESSBRIDGE_LEVER_API_KEY, webhooks signed with ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS)", config.EnvAccountID)
		}
		fmt.Fprintf(out, "  Lever simulator:     %s (%s; webhooks to %s)\n", sims.LeverURL, accounts, cfg.WebhookURL("{account}"))
	}
	if sims.Platform != nil {
		fmt.Fprintf(out, "  platform simulator:  %s (callbacks to %s)\n", sims.PlatformURL, cfg.CallbackURL())
		if configured.PlatformAPIKey == "" || configured.PlatformCallbackSecret == "" {
			fmt.Fprintln(out, "  the platform's API key and callback secret were generated; set ASSESSBRIDGE_PLATFORM_API_KEY and ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET here and for your worker and starter to share them")
		}
	}
	fmt.Fprintf(out, "  what they hold:      %s%s (read-only; ?format=json for JSON)\n", simURL(sims), devstack.StatePath)
	var point []string
	if sims.Lever != nil {
		point = append(point, "ASSESSBRIDGE_LEVER_API_URL="+sims.LeverURL)
	}
	if sims.Platform != nil {
		point = append(point, "ASSESSBRIDGE_PLATFORM_URL="+sims.PlatformURL)
	}
	fmt.Fprintf(out, "  a worker and starter use them with %s\n", strings.Join(point, " "))
	<-ctx.Done()
	fmt.Fprintln(out, "stopping…")
	return nil
}

func simURL(s *devstack.Sims) string {
	if s.Lever != nil {
		return s.LeverURL
	}
	return s.PlatformURL
}
