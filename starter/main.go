// Command starter is the HTTP front door: Lever webhooks start workflows, platform callbacks
// signal them. Operator subcommands: setup, backfill and purge (see operate.go).
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

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/logging"
	"github.com/assessbridge/assessbridge/namespace"
	"github.com/assessbridge/assessbridge/service"
)

const usage = `usage: starter [command] [flags]

Without a command, starter is the HTTP front door on ASSESSBRIDGE_HTTP_ADDR: Lever webhooks start
workflows, platform callbacks signal them, /admin is the admin page (with
ASSESSBRIDGE_ADMIN_PASSWORD), /readyz answers 503 until the namespace is set up.

commands (each has -h):
  setup        create the Temporal namespace if missing and register the search attributes
  backfill     start journeys for candidates already in a trigger stage (dry run by default)
  purge        delete a candidate's data (a worker must be running)
  healthcheck  exit 0 when this machine's front door is ready (container health check)

The front door needs ASSESSBRIDGE_SECRET_KEY and ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET; the store is
ASSESSBRIDGE_STORE_DSN; Temporal is ASSESSBRIDGE_TEMPORAL_ADDRESS and _NAMESPACE, or the Temporal
CLI's TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* and TEMPORAL_PROFILE.
Every variable: README.md (Configuration) and docs/production.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx, os.Args[1:], os.Environ(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "starter:", err)
		os.Exit(1)
	}
}

// realMain runs the front door or a subcommand; asked for help (-h, --help) it prints the
// usage to out and returns nil before reading any setting.
func realMain(ctx context.Context, args, environ []string, out io.Writer) error {
	fs := flag.NewFlagSet("starter", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage) }
	if err := fs.Parse(args); err != nil {
		return helpIsNoError(err)
	}
	if fs.NArg() > 0 {
		return operate(ctx, fs.Args(), environ, out)
	}
	cfg, err := config.LoadEnviron(environ)
	if err != nil {
		return err
	}
	if err := cfg.CheckStarter(); err != nil {
		return err
	}
	z, err := logging.New(cfg.LogLevel)
	if err != nil {
		return err
	}
	defer func() { _ = z.Sync() }()
	st, err := service.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	m, metricsLn, err := service.OpenMetrics(cfg)
	if err != nil {
		return err
	}
	tc, err := service.DialTemporal(ctx, cfg, z, service.WithMetrics(m))
	if err != nil {
		return err
	}
	defer tc.Close()
	// Idempotent; a cluster whose operator registers them by hand may refuse us: /readyz then
	// says what is missing until `starter setup` (or the operator) adds it.
	if err := namespace.RegisterSearchAttributes(ctx, tc, cfg.TemporalNamespace); err != nil {
		z.Warn("search attributes not registered; /readyz answers 503 until `starter setup` has run", zap.Error(err))
	}
	if err := service.ApplyEnvAccount(ctx, cfg, st, tc, z); err != nil {
		return err
	}
	h, err := service.NewHandler(tc, st, cfg, z, service.WithMetrics(m))
	if err != nil {
		return err
	}
	h = service.RequireNamespace(h, tc, cfg.TemporalNamespace)
	ln, err := service.Listen(cfg.HTTPAddr, "front door", "ASSESSBRIDGE_HTTP_ADDR")
	if err != nil {
		return err
	}
	z.Info("starter listening", zap.String("addr", ln.Addr().String()), zap.String("metrics_addr", cfg.MetricsAddr),
		zap.String("temporal", cfg.TemporalAddress), zap.Bool("temporal_tls", cfg.Temporal.TLS()))
	return service.RunAll(ctx,
		func(ctx context.Context) error { return service.Serve(ctx, ln, h) },
		func(ctx context.Context) error { return service.ServeMetrics(ctx, metricsLn, m) })
}

// helpIsNoError turns a request for help, already answered with the usage, into success.
func helpIsNoError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
