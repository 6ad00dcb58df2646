package service

import (
	"fmt"
	"strings"

	"github.com/assessbridge/assessbridge/config"
)

// tlsSettings names where the TLS settings of a connection come from, for error messages.
const tlsSettings = "TEMPORAL_TLS_SERVER_CA_CERT_PATH/_DATA, TEMPORAL_TLS_SERVER_NAME, " +
	"TEMPORAL_TLS_CLIENT_CERT_PATH and _KEY_PATH (or _DATA), or the [profile.<name>.tls] section of temporal.toml"

// dialError says what a failed dial most likely means. gRPC reports a refused certificate as
// a plain "connection error" string deep in the message, which an operator would not spot.
func dialError(cfg config.Config, err error) error {
	msg := err.Error()
	addr, src, conn := cfg.TemporalAddress, cfg.Temporal.Source, cfg.Temporal
	// A server that hangs up at once: after our plaintext preface (it wants TLS), or right
	// after the TLS handshake (TLS 1.3 refuses a missing client certificate only then).
	closed := containsAny(msg, "server preface", "frame too large", "connection reset", "broken pipe", "EOF")
	switch {
	case containsAny(msg, "x509:", "tls:", "certificate", "authentication handshake failed") && !conn.TLS():
		return fmt.Errorf("dial temporal at %s: TLS problem: the server answered with TLS but this connection is plain (set TEMPORAL_TLS=true or a TEMPORAL_TLS_* setting; settings from %s): %w", addr, src, err)
	case containsAny(msg, "x509:", "tls:", "certificate", "authentication handshake failed"):
		return fmt.Errorf("dial temporal at %s: TLS certificate problem: the server's certificate or ours was refused (check %s; settings from %s): %w", addr, tlsSettings, src, err)
	case closed && conn.TLS() && !conn.MutualTLS():
		return fmt.Errorf("dial temporal at %s: TLS certificate problem: the server closed the connection after the TLS handshake, most likely because it requires a client certificate (set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH; settings from %s): %w", addr, src, err)
	case closed && !conn.TLS():
		return fmt.Errorf("dial temporal at %s: the server closed the connection at once; if it expects TLS, set TEMPORAL_TLS=true or a TEMPORAL_TLS_* setting (settings from %s): %w", addr, src, err)
	}
	return fmt.Errorf("dial temporal at %s (settings from %s): %w", addr, src, err)
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
