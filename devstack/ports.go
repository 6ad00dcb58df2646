package devstack

import (
	"net"
	"strconv"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/service"
)

// checkServerPorts finds a taken Temporal or Web UI port before the embedded server does: its
// own error names no setting, and the UI would exit the process instead of failing.
func checkServerPorts(cfg config.Config) error {
	for _, p := range []struct {
		port          int
		what, setting string
	}{
		{cfg.TemporalPort, "Temporal frontend (gRPC)", "--temporal-port or ASSESSBRIDGE_TEMPORAL_PORT"},
		{cfg.UIPort, "Temporal Web UI", "--ui-port or ASSESSBRIDGE_UI_PORT (-1 for no UI)"},
	} {
		if p.port <= 0 { // 0 picks a free port, -1 is no UI
			continue
		}
		ln, err := service.Listen(net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port)), p.what, p.setting)
		if err != nil {
			return err
		}
		if err := ln.Close(); err != nil {
			return err
		}
	}
	return nil
}
