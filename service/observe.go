package service

import (
	"context"
	"fmt"
	"go.uber.org/zap"
	"io"
	"net"
	"net/http"
	"time"

	"go.temporal.io/sdk/interceptor"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/metrics"
)

// Option adds something optional to the wiring: metrics.
type Option func(*options)

type options struct {
	metrics *metrics.Metrics
	log     *zap.Logger
}

// WithLogger logs what runs in the background (the Lever account workers' refresh) to z.
func WithLogger(z *zap.Logger) Option {
	return func(o *options) { o.log = z }
}

// WithMetrics records into m: the Temporal SDK's metrics and workflow starts (DialTemporal),
// Lever calls (NewActivities), journeys (NewWorker), webhooks and callbacks (NewHandler). A nil m
// changes nothing.
func WithMetrics(m *metrics.Metrics) Option {
	return func(o *options) { o.metrics = m }
}

func collect(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// dialOptions count workflow starts on the Temporal connection.
func (o options) dialOptions() []grpc.DialOption {
	if o.metrics == nil {
		return nil
	}
	return []grpc.DialOption{grpc.WithChainUnaryInterceptor(o.metrics.StartInterceptor())}
}

func (o options) workerInterceptors() []interceptor.WorkerInterceptor {
	if o.metrics == nil {
		return nil
	}
	return []interceptor.WorkerInterceptor{o.metrics.WorkerInterceptor()}
}

// OpenMetrics opens the metrics listener when ASSESSBRIDGE_METRICS_ADDR is set, with a new
// registry; without the address it returns nil, nil (no metrics are kept).
func OpenMetrics(cfg config.Config) (*metrics.Metrics, net.Listener, error) {
	if cfg.MetricsAddr == "" {
		return nil, nil, nil
	}
	ln, err := Listen(cfg.MetricsAddr, "metrics endpoint", "ASSESSBRIDGE_METRICS_ADDR")
	if err != nil {
		return nil, nil, err
	}
	return metrics.New(), ln, nil
}

// ServeMetrics serves /metrics and /healthz on ln until ctx ends; with no listener it returns.
func ServeMetrics(ctx context.Context, ln net.Listener, m *metrics.Metrics) error {
	if ln == nil || m == nil {
		return nil
	}
	return Serve(ctx, ln, m.Routes())
}

// RunAll runs every fn until ctx ends or one fails; a failure stops the others. It returns the
// first error.
func RunAll(ctx context.Context, fns ...func(context.Context) error) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, fn := range fns {
		g.Go(func() error { return fn(ctx) })
	}
	return g.Wait()
}

// Probe asks a local process for health: GET http://addr/path must answer 200. The container
// images have no shell or curl, so `worker healthcheck` and `starter healthcheck` use this. A
// wildcard listen address is probed on loopback.
func Probe(ctx context.Context, addr, path string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("probe: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+path, nil)
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("probe %s: %w", path, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("probe %s: got status %d, want 200", path, resp.StatusCode)
	}
	return nil
}
