// Command worker runs the CandidateAssessment workflow and its activities on the task queue.
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
	tc, err := service.DialTemporal(ctx, cfg, z)
	if err != nil {
		return err
	}
	defer tc.Close()
	if err := service.ApplyEnvAccount(ctx, cfg, st, tc, z); err != nil {
		return err
	}
	acts, err := service.NewActivities(cfg, st, tc)
	if err != nil {
		return err
	}
	z.Info("worker polling", zap.String("task_queue", cfg.TaskQueue))
	return service.RunWorker(ctx, service.NewWorker(tc, cfg, acts))
}
