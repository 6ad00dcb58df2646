package devstack_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/devstack"
)

// TestTakenPortsAreClearErrors: each port the dev stack listens on, taken by another process,
// fails the start with an error naming the port and the flag and variable that move it; nothing
// panics and nothing is left running.
func TestTakenPortsAreClearErrors(t *testing.T) {
	tests := []struct {
		name string
		take func(o *devstack.Options, port int)
		want []string
	}{
		{"front door", func(o *devstack.Options, p int) { o.Config.HTTPAddr = "127.0.0.1:" + strconv.Itoa(p) },
			[]string{"--http-addr", "ASSESSBRIDGE_HTTP_ADDR"}},
		{"temporal", func(o *devstack.Options, p int) { o.Config.TemporalPort = p },
			[]string{"--temporal-port", "ASSESSBRIDGE_TEMPORAL_PORT"}},
		{"web ui", func(o *devstack.Options, p int) { o.Config.UIPort = p },
			[]string{"--ui-port", "ASSESSBRIDGE_UI_PORT"}},
		{"lever simulator", func(o *devstack.Options, p int) { o.SimAddrs[0] = "127.0.0.1:" + strconv.Itoa(p) },
			[]string{"Lever simulator", "--sim-lever-addr"}},
		{"platform simulator", func(o *devstack.Options, p int) { o.SimAddrs[1] = "127.0.0.1:" + strconv.Itoa(p) },
			[]string{"platform simulator", "--sim-platform-addr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			held, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer held.Close()
			port := held.Addr().(*net.TCPAddr).Port
			o := devstack.Options{Config: testConfig(t, t.TempDir()), WithSims: true}
			o.Config.UIPort = -1
			tt.take(&o, port)
			s, err := devstack.Start(context.Background(), o)
			if err == nil {
				_ = s.Stop()
				t.Fatal("start: got no error, want one")
			}
			for _, want := range append(tt.want, "port "+strconv.Itoa(port)+" is taken") {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("got %q, want it to contain %q", err, want)
				}
			}
		})
	}
}
