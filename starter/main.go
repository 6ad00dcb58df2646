// Command starter is the HTTP front door: Lever webhooks start workflows, platform callbacks
// signal them. Operator subcommands: `starter backfill` and `starter purge` (see operate.go).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/logging"
	"github.com/assessbridge/assessbridge/namespace"
	"github.com/assessbridge/assessbridge/service"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "starter:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	if len(os.Args) > 1 && (os.Args[1] == "backfill" || os.Args[1] == "purge") {
		return operate(ctx, cfg, os.Args[1:])
	}
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		// The container's health check (the image has no shell or curl): ready to take webhooks.
		return service.Probe(ctx, cfg.HTTPAddr, "/readyz")
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
	// Idempotent; a cluster whose operator registers them by hand may refuse us, which is fine.
	if err := namespace.RegisterSearchAttributes(ctx, tc, cfg.TemporalNamespace); err != nil {
		z.Warn("search attributes not registered", zap.Error(err))
	}
	if err := service.ApplyEnvAccount(ctx, cfg, st, tc, z); err != nil {
		return err
	}
	h, err := service.NewHandler(tc, st, cfg, z, service.WithMetrics(m))
	if err != nil {
		return err
	}
	ln, err := service.Listen(cfg.HTTPAddr, "starter")
	if err != nil {
		return err
	}
	z.Info("starter listening", zap.String("addr", ln.Addr().String()), zap.String("metrics_addr", cfg.MetricsAddr))
	return service.RunAll(ctx,
		func(ctx context.Context) error { return service.Serve(ctx, ln, h) },
		func(ctx context.Context) error { return service.ServeMetrics(ctx, metricsLn, m) })
}
