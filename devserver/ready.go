package devserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
)

// pollInterval paces readiness checks: short, because a start takes well under a second.
const pollInterval = 50 * time.Millisecond

// dialWhenReady dials the frontend until it answers its health check and describes the
// namespace, and returns that client. The caller closes it.
func dialWhenReady(ctx context.Context, addr, namespace string) (client.Client, error) {
	opts := client.Options{
		HostPort:  addr,
		Namespace: namespace,
		// Only this package's setup calls go through this client; its errors are returned.
		Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
	}
	return poll(ctx, "temporal frontend at "+addr, func() (client.Client, error) {
		c, err := client.DialContext(ctx, opts)
		if err != nil {
			return nil, err
		}
		req := &workflowservice.DescribeNamespaceRequest{Namespace: namespace}
		if _, err := c.WorkflowService().DescribeNamespace(ctx, req); err != nil {
			c.Close()
			return nil, fmt.Errorf("describe namespace %q: %w", namespace, err)
		}
		return c, nil
	})
}

// waitHTTP polls url until it answers 200 OK.
func waitHTTP(ctx context.Context, url string) error {
	hc := &http.Client{Timeout: 2 * time.Second}
	_, err := poll(ctx, url, func() (struct{}, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return struct{}{}, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return struct{}{}, err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return struct{}{}, fmt.Errorf("got status %d, want %d", resp.StatusCode, http.StatusOK)
		}
		return struct{}{}, nil
	})
	return err
}

// poll calls try until it succeeds or ctx ends; the error then carries try's last failure.
func poll[T any](ctx context.Context, what string, try func() (T, error)) (T, error) {
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		v, err := try()
		if err == nil {
			return v, nil
		}
		select {
		case <-ctx.Done():
			var zero T
			return zero, fmt.Errorf("wait for %s: %w", what, errors.Join(ctx.Err(), err))
		case <-t.C:
		}
	}
}
