// Command worker runs the CandidateAssessment workflow and its activities on the task queue.
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
	"github.com/assessbridge/assessbridge/service"
)

const usage = `usage: worker [healthcheck]

worker runs the CandidateAssessment workflow and its activities: it polls the task queue
(ASSESSBRIDGE_TASK_QUEUE) and every connected Lever account's own rate-limited queue. Run as many
as the load needs. It is configured from the environment alone:

  required  ASSESSBRIDGE_SECRET_KEY, ASSESSBRIDGE_PLATFORM_URL, ASSESSBRIDGE_PLATFORM_API_KEY
  store     ASSESSBRIDGE_STORE_DSN (SQLite path or postgres:// URL)
  Temporal  ASSESSBRIDGE_TEMPORAL_ADDRESS, ASSESSBRIDGE_TEMPORAL_NAMESPACE, or the Temporal CLI's
            TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE
  metrics   ASSESSBRIDGE_METRICS_ADDR (Prometheus /metrics and /healthz)

  worker healthcheck   exits 0 when this machine's worker answers /healthz (container health check)

Every variable: README.md (Configuration) and docs/production.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx, os.Args[1:], os.Environ(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

// realMain runs the worker; asked for help (-h, --help) it prints the usage to out and returns
// nil before reading any setting.
func realMain(ctx context.Context, args, environ []string, out io.Writer) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage) }
	if err := fs.Parse(args); err != nil {
		return helpIsNoError(err)
	}
	healthcheck := false
	switch fs.Arg(0) {
	case "":
	case "healthcheck":
		hc := flag.NewFlagSet("worker healthcheck", flag.ContinueOnError)
		hc.SetOutput(out)
		hc.Usage = func() {
			fmt.Fprintln(hc.Output(), "usage: worker healthcheck\n\nExits 0 when the worker's /healthz on ASSESSBRIDGE_METRICS_ADDR answers; the image has no shell or curl.")
		}
		if err := hc.Parse(fs.Args()[1:]); err != nil {
			return helpIsNoError(err)
		}
		healthcheck = true
	default:
		return fmt.Errorf("unknown command %q (worker -h lists them)", fs.Arg(0))
	}
	cfg, err := config.LoadEnviron(environ)
	if err != nil {
		return err
	}
	if healthcheck {
		// The container's health check: the image has no shell or curl.
		if cfg.MetricsAddr == "" {
			return errors.New("healthcheck needs ASSESSBRIDGE_METRICS_ADDR")
		}
		return service.Probe(ctx, cfg.MetricsAddr, "/healthz")
	}
	if err := cfg.CheckWorker(); err != nil {
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
	if err := service.ApplyEnvAccount(ctx, cfg, st, tc, z); err != nil {
		return err
	}
	acts, err := service.NewActivities(cfg, st, tc, service.WithMetrics(m))
	if err != nil {
		return err
	}
	service.LimitWorkflowCache()
	w, err := service.NewWorker(tc, cfg, acts, st, service.WithMetrics(m), service.WithLogger(z))
	if err != nil {
		return err
	}
	z.Info("worker polling", zap.String("task_queue", cfg.TaskQueue), zap.String("metrics_addr", cfg.MetricsAddr),
		zap.String("temporal", cfg.TemporalAddress), zap.Bool("temporal_tls", cfg.Temporal.TLS()))
	return service.RunAll(ctx,
		func(ctx context.Context) error { return service.RunWorker(ctx, w) },
		func(ctx context.Context) error { return service.ServeMetrics(ctx, metricsLn, m) })
}

// helpIsNoError turns a request for help, already answered with the usage, into success.
func helpIsNoError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
