// Command worker runs the CandidateAssessment workflow and its activities on the task queue.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/logging"
	"github.com/assessbridge/assessbridge/service"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
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
	z.Info("worker polling", zap.String("task_queue", cfg.TaskQueue), zap.String("metrics_addr", cfg.MetricsAddr))
	return service.RunAll(ctx,
		func(ctx context.Context) error { return service.RunWorker(ctx, w) },
		func(ctx context.Context) error { return service.ServeMetrics(ctx, metricsLn, m) })
}
