package devserver

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStartPortInUse: a busy port is reported by Start, naming the port, instead of the
// server or UI exiting the process; nothing is created on disk.
func TestStartPortInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("occupy a port: %v", err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port

	tests := []struct {
		name     string
		frontend int
		ui       int
		wantText string
	}{
		{name: "frontend", frontend: port, ui: -1, wantText: "frontend port " + strconv.Itoa(port)},
		{name: "ui", frontend: 0, ui: port, wantText: "ui port " + strconv.Itoa(port)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			dir := filepath.Join(t.TempDir(), "data")
			s, err := Start(ctx, Config{DataDir: dir, FrontendPort: tt.frontend, UIPort: tt.ui})
			if err == nil {
				_ = s.Stop()
				t.Fatalf("start with %s port %d in use: got nil error, want one", tt.name, port)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error: got %q, want it to contain %q", err, tt.wantText)
			}
			t.Logf("start failed as wanted: %v", err)
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("data dir after failed start: got stat error %v, want not-exist", err)
			}
		})
	}
}

// TestConfigInvalid: settings the server would turn into a fatal exit are refused up front.
func TestConfigInvalid(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		wantText string
	}{
		{name: "no data dir", cfg: Config{}, wantText: "data dir is required"},
		{name: "host name", cfg: Config{DataDir: "x", Host: "localhost"}, wantText: "must be an IP address"},
		{name: "ui port below -1", cfg: Config{DataDir: "x", UIPort: -2}, wantText: "ui port -2 out of range"},
		{name: "frontend port too big", cfg: Config{DataDir: "x", FrontendPort: 70000}, wantText: "frontend port 70000 out of range"},
		{name: "same port twice", cfg: Config{DataDir: "x", FrontendPort: 7233, UIPort: 7233}, wantText: "both use port 7233"},
		{name: "negative retention", cfg: Config{DataDir: "x", Retention: -time.Hour}, wantText: "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Start(context.Background(), tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Start: got error %v, want one containing %q", err, tt.wantText)
			}
		})
	}
}

// TestPlanPorts: every listener gets its own port, and a disabled UI gets none.
func TestPlanPorts(t *testing.T) {
	tests := []struct {
		name   string
		ui     int
		wantUI bool
	}{
		{name: "ui picked", ui: 0, wantUI: true},
		{name: "ui disabled", ui: -1, wantUI: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := planPorts("127.0.0.1", 0, tt.ui)
			if err != nil {
				t.Fatalf("planPorts: got error %v, want nil", err)
			}
			all := []int{p.frontend, p.frontendHTTP, p.history, p.matching, p.worker}
			if tt.wantUI {
				all = append(all, p.ui)
			} else if p.ui != 0 {
				t.Errorf("ui port with the ui disabled: got %d, want 0", p.ui)
			}
			seen := map[int]bool{}
			for _, port := range all {
				if port == 0 || seen[port] {
					t.Errorf("ports %v: got zero or repeated port %d, want distinct non-zero ports", all, port)
				}
				seen[port] = true
			}
		})
	}
}
