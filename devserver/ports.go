package devserver

import (
	"fmt"
	"net"
	"strconv"
)

// internalHost is where the history, matching and worker services listen: only the frontend
// and the UI are for callers, so the rest never leaves loopback.
const internalHost = "127.0.0.1"

// ports are every port one server listens on; ui is 0 when the UI is disabled. frontendHTTP
// serves the frontend's HTTP API, which Nexus needs; the server warns on every start without it.
type ports struct {
	frontend, frontendHTTP, history, matching, worker, ui int
}

// planPorts checks the requested ports and picks free ones where asked. The server and the UI
// treat a busy port as fatal and exit the whole process, so a port in use must be found here.
// Every port is held until all are known, so no pick can land on another; after that a port
// could still be taken by another process before the server binds it, a window of
// milliseconds.
func planPorts(host string, frontend, ui int) (ports, error) {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	hold := func(what, h string, port int) (int, error) {
		l, err := net.Listen("tcp", net.JoinHostPort(h, strconv.Itoa(port)))
		if err != nil {
			if port == 0 {
				return 0, fmt.Errorf("pick a free %s port on %s: %w", what, h, err)
			}
			return 0, fmt.Errorf("%s port %d on %s is not available: %w", what, port, h, err)
		}
		held = append(held, l)
		return l.Addr().(*net.TCPAddr).Port, nil
	}

	type slot struct {
		what, host string
		port       int // requested; 0 = pick
		dst        *int
	}
	var p ports
	slots := []slot{
		{"frontend", host, frontend, &p.frontend},
		{"frontend http", host, 0, &p.frontendHTTP},
		{"history", internalHost, 0, &p.history},
		{"matching", internalHost, 0, &p.matching},
		{"worker", internalHost, 0, &p.worker},
	}
	if ui != uiDisabled {
		slots = append(slots, slot{"ui", host, ui, &p.ui})
	}
	// Requested ports first, so a busy one is reported before anything is picked.
	for _, picking := range []bool{false, true} {
		for _, s := range slots {
			if (s.port == 0) != picking {
				continue
			}
			port, err := hold(s.what, s.host, s.port)
			if err != nil {
				return ports{}, err
			}
			*s.dst = port
		}
	}
	return p, nil
}

// dialHost is the address a client in this process uses to reach a listener on host: a
// wildcard listen address is reached through loopback.
func dialHost(host string) string {
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return internalHost
	}
	return host
}
