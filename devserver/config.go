package devserver

import (
	"errors"
	"fmt"
	"net"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.uber.org/zap"
)

// Defaults applied by Start to zero-valued Config fields.
const (
	defaultNamespace = "default"
	defaultHost      = "127.0.0.1"
	defaultRetention = 30 * 24 * time.Hour
)

// uiDisabled as Config.UIPort runs the server without the Web UI.
const uiDisabled = -1

// Config describes one embedded server. The zero value of every field but DataDir has a
// sensible default.
type Config struct {
	// DataDir holds the SQLite file DataDir/temporal.db; both are created if missing.
	DataDir string
	// Namespace is created on first start; default "default".
	Namespace string
	// Host is the IP address the frontend and the UI listen on; default 127.0.0.1.
	Host string
	// FrontendPort is the gRPC port (Temporal's usual one is 7233); 0 picks a free port.
	FrontendPort int
	// UIPort is the Web UI's HTTP port (usually 8233); 0 picks a free port, -1 disables the UI.
	UIPort int
	// Retention is how long closed workflows are kept; default 30 days, at least 1 hour.
	// Applied on every start.
	Retention time.Duration
	// SearchAttributes are registered on every start when missing (at most 10 Keyword and 3 of
	// each other type: the SQLite visibility store's limit). One registered with another type
	// fails Start. Attributes added to an existing file are usable in workflows after the
	// server's namespace cache refresh (2 s); those in a new file at once.
	SearchAttributes map[string]enumspb.IndexedValueType
	// CodecEndpoint is the remote codec the Web UI decodes payloads with ("" = none).
	CodecEndpoint string
	// CodecIncludeCredentials makes the Web UI send the browser's cookies to CodecEndpoint, for
	// an endpoint that lets a signed-in session decode (the UI cannot send it a token).
	CodecIncludeCredentials bool
	// Logger receives the server's own logs at Warn level and above (none while stopping);
	// nil discards them.
	Logger *zap.Logger
}

// withDefaults returns a copy of c with defaults filled in. The ports keep their special
// values (0 = pick, -1 = no UI) for the port planner.
func (c Config) withDefaults() Config {
	if c.Namespace == "" {
		c.Namespace = defaultNamespace
	}
	if c.Host == "" {
		c.Host = defaultHost
	}
	if c.Retention == 0 {
		c.Retention = defaultRetention
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	return c
}

// validate rejects what the server would otherwise turn into a fatal log (and a process
// exit) or an obscure error deep inside its start.
func (c Config) validate() error {
	if c.DataDir == "" {
		return errors.New("data dir is required")
	}
	if net.ParseIP(c.Host) == nil {
		return fmt.Errorf("host %q must be an IP address", c.Host)
	}
	if c.FrontendPort < 0 || c.FrontendPort > 65535 {
		return fmt.Errorf("frontend port %d out of range", c.FrontendPort)
	}
	if c.UIPort < uiDisabled || c.UIPort > 65535 {
		return fmt.Errorf("ui port %d out of range (-1 disables the ui)", c.UIPort)
	}
	if c.FrontendPort != 0 && c.FrontendPort == c.UIPort {
		return fmt.Errorf("frontend and ui both use port %d", c.FrontendPort)
	}
	if c.Retention < 0 {
		return fmt.Errorf("retention %s is negative", c.Retention)
	}
	return nil
}
