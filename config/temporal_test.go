package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTemporalConnectionOrder: defaults, then the temporal.toml profile, then TEMPORAL_*, then
// ASSESSBRIDGE_TEMPORAL_ADDRESS and ASSESSBRIDGE_TEMPORAL_NAMESPACE; and the mistakes an
// operator makes are named.
func TestTemporalConnectionOrder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "temporal.toml")
	if err := os.WriteFile(file, []byte(`
[profile.default]
address = "default-profile:7233"
namespace = "from-default-profile"

[profile.cloud]
address = "acme.a1b2c.tmprl.cloud:7233"
namespace = "acme.a1b2c"
api_key = "secret-key"

[profile.plain]
address = "plain:7233"
[profile.plain.tls]
disabled = true
`), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".config", "temporalio"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".config", "temporalio", "temporal.toml"),
		[]byte("[profile.default]\naddress = \"home-profile:7233\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name              string
		env               map[string]string
		wantAddr, wantNS  string
		wantTLS, wantMTLS bool
		wantAPIKey        bool
		wantErr           string
	}{
		{name: "nothing set", env: nil, wantAddr: "127.0.0.1:7233", wantNS: "default"},
		{name: "the user's default profile", env: map[string]string{"HOME": home}, wantAddr: "home-profile:7233", wantNS: "default"},
		{name: "XDG_CONFIG_HOME without a file", env: map[string]string{"HOME": home, "XDG_CONFIG_HOME": dir}, wantAddr: "127.0.0.1:7233", wantNS: "default"},
		{name: "default profile of TEMPORAL_CONFIG_FILE", env: map[string]string{"TEMPORAL_CONFIG_FILE": file},
			wantAddr: "default-profile:7233", wantNS: "from-default-profile"},
		{name: "named profile with an API key turns TLS on", env: map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "cloud"},
			wantAddr: "acme.a1b2c.tmprl.cloud:7233", wantNS: "acme.a1b2c", wantTLS: true, wantAPIKey: true},
		{name: "TLS disabled in the profile", env: map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "plain", "TEMPORAL_API_KEY": "k"},
			wantAddr: "plain:7233", wantNS: "default", wantAPIKey: true},
		{name: "TEMPORAL_* over the profile", env: map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "cloud",
			"TEMPORAL_ADDRESS": "env:7233", "TEMPORAL_NAMESPACE": "env-ns"},
			wantAddr: "env:7233", wantNS: "env-ns", wantTLS: true, wantAPIKey: true},
		{name: "ASSESSBRIDGE_TEMPORAL_ADDRESS and _NAMESPACE over everything", env: map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "cloud",
			"TEMPORAL_ADDRESS": "env:7233", "ASSESSBRIDGE_TEMPORAL_ADDRESS": "ours:7233", "ASSESSBRIDGE_TEMPORAL_NAMESPACE": "ours"},
			wantAddr: "ours:7233", wantNS: "ours", wantTLS: true, wantAPIKey: true},
		{name: "TEMPORAL_TLS=true", env: map[string]string{"TEMPORAL_TLS": "true"}, wantAddr: "127.0.0.1:7233", wantNS: "default", wantTLS: true},
		{name: "empty variables count as unset", env: map[string]string{"TEMPORAL_ADDRESS": "", "TEMPORAL_API_KEY": " "},
			wantAddr: "127.0.0.1:7233", wantNS: "default"},
		{name: "unknown profile", env: map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "nope"}, wantErr: `TEMPORAL_PROFILE: no profile "nope" in ` + file},
		{name: "profile without a file", env: map[string]string{"TEMPORAL_PROFILE": "cloud"}, wantErr: `TEMPORAL_PROFILE: profile "cloud" asked for, but there is no config file`},
		{name: "missing config file", env: map[string]string{"TEMPORAL_CONFIG_FILE": filepath.Join(dir, "nope.toml")}, wantErr: "TEMPORAL_CONFIG_FILE: " + filepath.Join(dir, "nope.toml") + " does not exist"},
		{name: "client certificate without its key", env: map[string]string{"TEMPORAL_TLS_CLIENT_CERT_PATH": file}, wantErr: "if either client cert or key path is present"},
		{name: "unreadable CA", env: map[string]string{"TEMPORAL_TLS_SERVER_CA_CERT_PATH": filepath.Join(dir, "ca.pem")}, wantErr: "ca.pem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.TemporalAddress != tt.wantAddr || c.TemporalNamespace != tt.wantNS {
				t.Errorf("got %s in %s, want %s in %s", c.TemporalAddress, c.TemporalNamespace, tt.wantAddr, tt.wantNS)
			}
			if c.Temporal.TLS() != tt.wantTLS || c.Temporal.MutualTLS() != tt.wantMTLS || c.Temporal.APIKey() != tt.wantAPIKey {
				t.Errorf("got tls %v, mtls %v, api key %v; want %v, %v, %v", c.Temporal.TLS(), c.Temporal.MutualTLS(), c.Temporal.APIKey(), tt.wantTLS, tt.wantMTLS, tt.wantAPIKey)
			}
			opts, err := c.Temporal.ClientOptions(c.TemporalAddress, c.TemporalNamespace)
			if err != nil {
				t.Fatal(err)
			}
			if opts.HostPort != tt.wantAddr || opts.Namespace != tt.wantNS || (opts.ConnectionOptions.TLS != nil) != tt.wantTLS || (opts.Credentials != nil) != tt.wantAPIKey {
				t.Errorf("client options: got %s in %s, tls %v, credentials %v", opts.HostPort, opts.Namespace, opts.ConnectionOptions.TLS != nil, opts.Credentials != nil)
			}
		})
	}
}

// TestLoadEnvironReadsGRPCMeta: the headers the CLI sends from TEMPORAL_GRPC_META_* are sent too.
func TestLoadEnvironReadsGRPCMeta(t *testing.T) {
	c, err := LoadEnviron([]string{"TEMPORAL_GRPC_META_X_TENANT=acme", "ASSESSBRIDGE_TEMPORAL_NAMESPACE=ns"})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := c.Temporal.ClientOptions(c.TemporalAddress, c.TemporalNamespace)
	if err != nil {
		t.Fatal(err)
	}
	if opts.HeadersProvider == nil {
		t.Fatal("got no headers, want x-tenant")
	}
	h, err := opts.HeadersProvider.GetHeaders(t.Context())
	if err != nil || h["x-tenant"] != "acme" || c.TemporalNamespace != "ns" {
		t.Errorf("got headers %v (%v), namespace %s; want x-tenant: acme in ns", h, err, c.TemporalNamespace)
	}
}
