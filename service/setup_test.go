package service

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/temporal"
	"go.temporal.io/server/temporaltest"

	"github.com/assessbridge/assessbridge/namespace"
)

// TestReadyzWaitsForSetup: the starter's /readyz answers 503 saying what is missing and what to
// run while the namespace does not exist, and hands over to the front door's own check once
// `starter setup` (namespace.Setup) has run.
func TestReadyzWaitsForSetup(t *testing.T) {
	ts := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseServerOptions(
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			dynamicconfig.NamespaceCacheRefreshInterval.Key():           time.Second,
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
		})))
	const ns = "assessbridge-readyz"
	tc := ts.NewClientWithOptions(client.Options{Namespace: ns})
	front := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "front door: "+r.URL.Path) })
	srv := httptest.NewServer(RequireNamespace(front, tc, ns))
	defer srv.Close()

	probe := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		name, path string
		setupFirst bool
		wantCode   int
		want       []string
	}{
		{"readyz before setup", "/readyz", false, http.StatusServiceUnavailable, []string{`namespace \"assessbridge-readyz\" does not exist`, "starter setup"}},
		{"other paths are the front door's", "/healthz", false, http.StatusOK, []string{"front door: /healthz"}},
		{"readyz after setup", "/readyz", true, http.StatusOK, []string{"front door: /readyz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setupFirst {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if _, err := namespace.Setup(ctx, tc, ns, time.Hour); err != nil {
					t.Fatal(err)
				}
			}
			code, body := probe(tt.path)
			if code != tt.wantCode {
				t.Errorf("GET %s: got %d %s, want %d", tt.path, code, body, tt.wantCode)
			}
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s: got %q, want it to contain %q", tt.path, body, want)
				}
			}
		})
	}
}

// TestListenNamesTheSetting: a taken port is an error naming the port and the setting.
func TestListenNamesTheSetting(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := strconv.Itoa(held.Addr().(*net.TCPAddr).Port)
	tests := []struct{ addr, what, setting, want string }{
		{held.Addr().String(), "front door", "ASSESSBRIDGE_HTTP_ADDR", "front door: port " + port + " is taken"},
		{held.Addr().String(), "metrics endpoint", "ASSESSBRIDGE_METRICS_ADDR", "move the metrics endpoint with ASSESSBRIDGE_METRICS_ADDR"},
		{"256.0.0.1:80", "front door", "ASSESSBRIDGE_HTTP_ADDR", "cannot listen on 256.0.0.1:80 (set by ASSESSBRIDGE_HTTP_ADDR)"},
	}
	for _, tt := range tests {
		ln, err := Listen(tt.addr, tt.what, tt.setting)
		if err == nil {
			ln.Close()
			t.Errorf("listen on %s: got no error", tt.addr)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("listen on %s: got %q, want it to contain %q", tt.addr, err, tt.want)
		}
	}
}
