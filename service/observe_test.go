package service

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	tests := []struct {
		name, addr, path string
		ok               bool
	}{
		{"healthy", srv.Listener.Addr().String(), "/healthz", true},
		{"wildcard address is probed on loopback", "0.0.0.0:" + port, "/healthz", true},
		{"empty host is probed on loopback", ":" + port, "/healthz", true},
		{"unhealthy", srv.Listener.Addr().String(), "/readyz", false},
		{"nothing listening", "127.0.0.1:1", "/healthz", false},
		{"malformed address", "nope", "/healthz", false},
	}
	for _, tt := range tests {
		err := Probe(context.Background(), tt.addr, tt.path)
		if (err == nil) != tt.ok {
			t.Errorf("%s: got %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// TestRunAllStopsTheOthers: one part failing stops the rest and is the error returned.
func TestRunAllStopsTheOthers(t *testing.T) {
	boom := errors.New("boom")
	err := RunAll(context.Background(),
		func(ctx context.Context) error { <-ctx.Done(); return nil },
		func(context.Context) error { return boom },
	)
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want %v", err, boom)
	}
}

func TestServeMetricsWithoutListener(t *testing.T) {
	if err := ServeMetrics(context.Background(), nil, nil); err != nil {
		t.Errorf("got %v, want nil: no metrics address, nothing to serve", err)
	}
}
