package devserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// testLogger shows the server's warnings on stderr, where `go test -v` keeps them; t.Log is
// avoided because server goroutines may still log after the test returns.
func testLogger() *zap.Logger {
	enc := zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	return zap.New(zapcore.NewCore(enc, zapcore.Lock(os.Stderr), zapcore.WarnLevel))
}

// startTimed starts a server, fails the test on error, and stops it at cleanup at the latest.
func startTimed(t *testing.T, ctx context.Context, cfg Config, label string) *Server {
	t.Helper()
	begin := time.Now()
	s, err := Start(ctx, cfg)
	if err != nil {
		t.Fatalf("%s start: got error %v, want nil", label, err)
	}
	t.Logf("%s start took %s (frontend %s, ui %q)", label, time.Since(begin).Round(time.Millisecond), s.FrontendAddress(), s.UIAddress())
	t.Cleanup(func() { _ = s.Stop() })
	return s
}

// stopTimed stops s, checks that a second Stop is harmless, and logs how long the first took.
func stopTimed(t *testing.T, s *Server, label string) {
	t.Helper()
	begin := time.Now()
	if err := s.Stop(); err != nil {
		t.Fatalf("%s stop: got error %v, want nil", label, err)
	}
	t.Logf("%s stop took %s", label, time.Since(begin).Round(time.Millisecond))
	if err := s.Stop(); err != nil {
		t.Fatalf("%s second stop: got error %v, want nil", label, err)
	}
}

// dial connects a quiet SDK client to s.
func dial(t *testing.T, ctx context.Context, s *Server) client.Client {
	t.Helper()
	c, err := client.DialContext(ctx, client.Options{
		HostPort:  s.FrontendAddress(),
		Namespace: s.Namespace(),
		Logger:    sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
	})
	if err != nil {
		t.Fatalf("dial %s: got error %v, want nil", s.FrontendAddress(), err)
	}
	t.Cleanup(c.Close)
	return c
}

// httpGet returns the status code and body of a GET.
func httpGet(t *testing.T, ctx context.Context, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatalf("build request for %s: %v", url, err)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("GET %s: got error %v, want nil", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body of %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}
