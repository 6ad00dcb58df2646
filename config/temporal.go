package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
)

// TemporalVars are the Temporal SDK's and CLI's own connection variables, read as the CLI reads
// them (go.temporal.io/sdk/contrib/envconfig), so one profile serves the CLI and our processes.
// ASSESSBRIDGE_TEMPORAL_ADDRESS and ASSESSBRIDGE_TEMPORAL_NAMESPACE override what they say.
// TEMPORAL_GRPC_META_<NAME> (one variable per header) is read too.
var TemporalVars = []string{
	"TEMPORAL_CONFIG_FILE", "TEMPORAL_PROFILE",
	"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY", "TEMPORAL_CLIENT_AUTHORITY",
	"TEMPORAL_TLS", "TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_CERT_DATA",
	"TEMPORAL_TLS_CLIENT_KEY_PATH", "TEMPORAL_TLS_CLIENT_KEY_DATA",
	"TEMPORAL_TLS_SERVER_CA_CERT_PATH", "TEMPORAL_TLS_SERVER_CA_CERT_DATA",
	"TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION",
}

// TemporalConnection is how to reach the Temporal frontend beyond its address and namespace:
// TLS, mutual TLS, API key, headers. Its zero value is plain gRPC, as the embedded server wants.
type TemporalConnection struct {
	profile envconfig.ClientConfigProfile
	// Source says where the settings came from, for errors: the profile and file, and/or the
	// TEMPORAL_* variables.
	Source string
}

// TLS reports whether the connection uses TLS.
func (t TemporalConnection) TLS() bool {
	if t.profile.TLS != nil {
		return !t.profile.TLS.Disabled
	}
	return t.profile.APIKey != "" // an API key turns TLS on, as in the CLI
}

// MutualTLS reports whether a client certificate is presented.
func (t TemporalConnection) MutualTLS() bool {
	c := t.profile.TLS
	return t.TLS() && c != nil && (c.ClientCertPath != "" || len(c.ClientCertData) > 0)
}

// APIKey reports whether an API key is sent (never the key itself).
func (t TemporalConnection) APIKey() bool { return t.profile.APIKey != "" }

// ClientOptions are the SDK client options for this connection to address and namespace.
// Certificates and keys named by path are read here, so a rotated file is picked up by the next
// dial.
func (t TemporalConnection) ClientOptions(address, namespace string) (client.Options, error) {
	p := t.profile
	p.Address, p.Namespace = address, namespace
	p.Codec = nil // payloads are encoded by ASSESSBRIDGE_HISTORY_KEYS, never a remote codec
	opts, err := p.ToClientOptions(envconfig.ToClientOptionsRequest{})
	if err != nil {
		return client.Options{}, fmt.Errorf("temporal connection (%s): %w", t.Source, err)
	}
	return opts, nil
}

// envLookup lets envconfig read through Load's getenv. An empty variable counts as unset, as
// for every ASSESSBRIDGE_ variable (compose files often pass "${X:-}").
type envLookup struct {
	getenv  func(string) string
	environ []string // only for TEMPORAL_GRPC_META_*; nil when Load had just getenv
}

func (e envLookup) LookupEnv(k string) (string, bool) {
	v := strings.TrimSpace(e.getenv(k))
	return v, v != ""
}

func (e envLookup) Environ() []string {
	var out []string
	for _, kv := range e.environ {
		if strings.HasPrefix(kv, "TEMPORAL_GRPC_META_") {
			out = append(out, kv)
		}
	}
	return out
}

// loadTemporal reads the connection the way the Temporal CLI does: the profile (TEMPORAL_PROFILE,
// default "default") of the config file (TEMPORAL_CONFIG_FILE, default
// <user config dir>/temporalio/temporal.toml; a missing file is no error), then the TEMPORAL_*
// variables over it. It returns the connection and the address and namespace it names ("" when
// it names none).
func loadTemporal(env envLookup) (TemporalConnection, string, string, error) {
	file, _ := env.LookupEnv("TEMPORAL_CONFIG_FILE")
	fileSet := file != ""
	if !fileSet {
		file = defaultTemporalConfigFile(env.getenv)
	}
	var prof envconfig.ClientConfigProfile
	var sources []string
	if file != "" {
		b, err := os.ReadFile(file)
		switch {
		case err == nil:
			var cc envconfig.ClientConfig
			if err := cc.FromTOML(b, envconfig.ClientConfigFromTOMLOptions{}); err != nil {
				return TemporalConnection{}, "", "", fmt.Errorf("temporal config file %s: %w", file, err)
			}
			name, named := env.LookupEnv("TEMPORAL_PROFILE")
			if !named {
				name = envconfig.DefaultConfigFileProfile
			}
			if p := cc.Profiles[name]; p != nil {
				prof = *p
				sources = append(sources, fmt.Sprintf("profile %q of %s", name, file))
			} else if named {
				return TemporalConnection{}, "", "", fmt.Errorf("TEMPORAL_PROFILE: no profile %q in %s", name, file)
			}
		case errors.Is(err, os.ErrNotExist) && !fileSet:
		case errors.Is(err, os.ErrNotExist):
			return TemporalConnection{}, "", "", fmt.Errorf("TEMPORAL_CONFIG_FILE: %s does not exist", file)
		default:
			return TemporalConnection{}, "", "", fmt.Errorf("temporal config file: %w", err)
		}
	}
	if name, ok := env.LookupEnv("TEMPORAL_PROFILE"); ok && len(sources) == 0 {
		return TemporalConnection{}, "", "", fmt.Errorf("TEMPORAL_PROFILE: profile %q asked for, but there is no config file (%s)", name, fileOrNone(file))
	}
	if err := prof.ApplyEnvVars(env); err != nil {
		return TemporalConnection{}, "", "", fmt.Errorf("TEMPORAL_ variables: %w", err)
	}
	for _, name := range TemporalVars[2:] {
		if _, ok := env.LookupEnv(name); ok {
			sources = append(sources, "TEMPORAL_* variables")
			break
		}
	}
	if len(sources) == 0 {
		sources = append(sources, "defaults")
	}
	addr, ns := prof.Address, prof.Namespace
	conn := TemporalConnection{profile: prof, Source: strings.Join(sources, " and ")}
	// Fail at start, not at the first dial, when a certificate, key or CA cannot be used.
	if _, err := conn.ClientOptions(addr, ns); err != nil {
		return TemporalConnection{}, "", "", err
	}
	return conn, addr, ns, nil
}

func fileOrNone(file string) string {
	if file == "" {
		return "no user config directory"
	}
	return file + " does not exist"
}

// defaultTemporalConfigFile is envconfig.DefaultConfigFilePath computed from getenv instead of
// the process environment, so Load stays a function of what it is given.
func defaultTemporalConfigFile(getenv func(string) string) string {
	var dir string
	switch runtime.GOOS {
	case "windows":
		dir = getenv("AppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			dir = filepath.Join(h, "Library", "Application Support")
		}
	default:
		dir = getenv("XDG_CONFIG_HOME")
		if dir == "" || !filepath.IsAbs(dir) {
			dir = ""
			if h := getenv("HOME"); h != "" {
				dir = filepath.Join(h, ".config")
			}
		}
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "temporalio", "temporal.toml")
}
