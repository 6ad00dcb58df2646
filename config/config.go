// Package config reads assessbridge's settings from the environment (prefix ASSESSBRIDGE_).
// It is the one place that does; mains read it once and pass values down.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/assessbridge/assessbridge/codec"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// Config is every setting; Load fills defaults that run the embedded stack.
type Config struct {
	HTTPAddr  string // ASSESSBRIDGE_HTTP_ADDR: where the front door listens
	PublicURL string // ASSESSBRIDGE_PUBLIC_URL: how Lever and the platform reach the front door

	TemporalAddress   string // ASSESSBRIDGE_TEMPORAL_ADDRESS, else TEMPORAL_ADDRESS or the profile's
	TemporalNamespace string // ASSESSBRIDGE_TEMPORAL_NAMESPACE, else TEMPORAL_NAMESPACE or the profile's
	// Temporal is the rest of the connection (TLS, API key) from temporal.toml and TEMPORAL_*.
	Temporal  TemporalConnection
	TaskQueue string // ASSESSBRIDGE_TASK_QUEUE

	DataDir   string // ASSESSBRIDGE_DATA_DIR: the embedded stack's files (dev only)
	StoreDSN  string // ASSESSBRIDGE_STORE_DSN: sqlite path or postgres:// URL
	SecretKey []byte // ASSESSBRIDGE_SECRET_KEY: 32 bytes, base64 or hex; encrypts secrets at rest

	LeverAPIURL string // ASSESSBRIDGE_LEVER_API_URL

	// The account configured from the environment (self-hosting, id "default"); off without a key.
	LeverAPIKey        string   // ASSESSBRIDGE_LEVER_API_KEY: sent as HTTP Basic user name
	LeverWebhookTokens []string // ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS: signature tokens of hand-made webhooks
	TriggerStages      []string // ASSESSBRIDGE_TRIGGER_STAGES: stage ids or names, as written
	PerformAs          string   // ASSESSBRIDGE_PERFORM_AS: Lever user id or email
	// Completion: what happens when a candidate submits (ASSESSBRIDGE_COMPLETION_STAGE and the rest).
	Completion Completion

	// Lever OAuth (partner app); OAuth is off without a client id.
	LeverClientID     string // ASSESSBRIDGE_LEVER_CLIENT_ID
	LeverClientSecret string // ASSESSBRIDGE_LEVER_CLIENT_SECRET
	LeverAuthURL      string // ASSESSBRIDGE_LEVER_AUTH_URL
	LeverTokenURL     string // ASSESSBRIDGE_LEVER_TOKEN_URL
	LeverAudience     string // ASSESSBRIDGE_LEVER_AUDIENCE

	LeverRate  float64 // ASSESSBRIDGE_LEVER_RATE: requests per second per account
	LeverBurst int     // ASSESSBRIDGE_LEVER_BURST
	// LeverTimeout and PlatformTimeout bound one HTTP request to each side. An activity's attempt
	// ends at its StartToClose (1 min) whatever these say.
	LeverTimeout    time.Duration // ASSESSBRIDGE_LEVER_TIMEOUT
	PlatformTimeout time.Duration // ASSESSBRIDGE_PLATFORM_TIMEOUT

	AdminPassword string // ASSESSBRIDGE_ADMIN_PASSWORD: the admin page's login; no admin page without it
	TemporalUIURL string // ASSESSBRIDGE_TEMPORAL_UI_URL: Web UI base for links from the admin page

	// HistoryKeys encrypt workflow payloads (candidate names, emails, scores) in Temporal:
	// "id1:base64key,id2:base64key", the first encrypts, all decrypt. Empty: plaintext history.
	HistoryKeys string // ASSESSBRIDGE_HISTORY_KEYS
	// CodecToken guards the remote codec endpoint /codec (Bearer, for the CLI; the Web UI uses
	// the admin page's sign-in cookie); CodecOrigins lists the Web UI origins allowed to call it
	// (CORS, with credentials). Empty token: no endpoint.
	CodecToken   string   // ASSESSBRIDGE_CODEC_TOKEN
	CodecOrigins []string // ASSESSBRIDGE_CODEC_ORIGINS (comma-separated)
	// CodecLoopback (dev only, no variable): serve /codec without a token to this machine's
	// browser, since the stock Web UI cannot send one.
	CodecLoopback bool

	PlatformURL            string // ASSESSBRIDGE_PLATFORM_URL
	PlatformAPIKey         string // ASSESSBRIDGE_PLATFORM_API_KEY
	PlatformCallbackSecret string // ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET

	LogLevel string // ASSESSBRIDGE_LOG_LEVEL: debug, info, warn, error

	// MetricsAddr is where worker and starter serve Prometheus /metrics and /healthz, apart from
	// the front door so webhooks' public port shows no internals. Empty: no metrics.
	MetricsAddr string // ASSESSBRIDGE_METRICS_ADDR

	UIPort       int // ASSESSBRIDGE_UI_PORT: embedded Web UI (dev only)
	TemporalPort int // ASSESSBRIDGE_TEMPORAL_PORT: embedded server's gRPC port (dev only)
}

// Vars lists every variable Load reads, for documentation and for checks of deployment files.
var Vars = []string{
	"ASSESSBRIDGE_HTTP_ADDR", "ASSESSBRIDGE_PUBLIC_URL",
	"ASSESSBRIDGE_TEMPORAL_ADDRESS", "ASSESSBRIDGE_TEMPORAL_NAMESPACE", "ASSESSBRIDGE_TASK_QUEUE",
	"ASSESSBRIDGE_DATA_DIR", "ASSESSBRIDGE_STORE_DSN", "ASSESSBRIDGE_SECRET_KEY",
	"ASSESSBRIDGE_LEVER_API_URL", "ASSESSBRIDGE_LEVER_RATE", "ASSESSBRIDGE_LEVER_BURST", "ASSESSBRIDGE_LEVER_TIMEOUT",
	"ASSESSBRIDGE_PLATFORM_TIMEOUT",
	"ASSESSBRIDGE_LEVER_API_KEY", "ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS", "ASSESSBRIDGE_TRIGGER_STAGES",
	"ASSESSBRIDGE_PERFORM_AS",
	"ASSESSBRIDGE_COMPLETION_STAGE", "ASSESSBRIDGE_PASS_THRESHOLD", "ASSESSBRIDGE_PASS_STAGE",
	"ASSESSBRIDGE_FAIL_STAGE", "ASSESSBRIDGE_ARCHIVE_BELOW", "ASSESSBRIDGE_ARCHIVE_REASON",
	"ASSESSBRIDGE_ARCHIVE_GRACE", "ASSESSBRIDGE_UPLOAD_REPORT", "ASSESSBRIDGE_INVITE_ON_APPLICATION",
	"ASSESSBRIDGE_NO_ASSESSMENT_NOTICE",
	"ASSESSBRIDGE_LEVER_CLIENT_ID", "ASSESSBRIDGE_LEVER_CLIENT_SECRET", "ASSESSBRIDGE_LEVER_AUTH_URL",
	"ASSESSBRIDGE_LEVER_TOKEN_URL", "ASSESSBRIDGE_LEVER_AUDIENCE", "ASSESSBRIDGE_ADMIN_PASSWORD",
	"ASSESSBRIDGE_TEMPORAL_UI_URL", "ASSESSBRIDGE_HISTORY_KEYS", "ASSESSBRIDGE_CODEC_TOKEN", "ASSESSBRIDGE_CODEC_ORIGINS",
	"ASSESSBRIDGE_PLATFORM_URL", "ASSESSBRIDGE_PLATFORM_API_KEY", "ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET",
	"ASSESSBRIDGE_LOG_LEVEL", "ASSESSBRIDGE_UI_PORT", "ASSESSBRIDGE_TEMPORAL_PORT",
	"ASSESSBRIDGE_METRICS_ADDR",
}

// Load reads the environment through getenv and reports every malformed value at once.
// TEMPORAL_GRPC_META_* headers need the whole environment: LoadEnviron reads them too.
func Load(getenv func(string) string) (Config, error) { return load(getenv, nil) }

// LoadEnviron is Load over an environment in os.Environ's form ("NAME=value" lines).
func LoadEnviron(environ []string) (Config, error) {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	return load(func(k string) string { return vars[k] }, environ)
}

func load(getenv func(string) string, environ []string) (Config, error) {
	var errs []error
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		HTTPAddr:               get("ASSESSBRIDGE_HTTP_ADDR", "127.0.0.1:8080"),
		TaskQueue:              get("ASSESSBRIDGE_TASK_QUEUE", workflows.TaskQueue),
		DataDir:                get("ASSESSBRIDGE_DATA_DIR", ".data"),
		LeverAPIURL:            get("ASSESSBRIDGE_LEVER_API_URL", lever.ProductionBaseURL),
		PlatformURL:            get("ASSESSBRIDGE_PLATFORM_URL", ""),
		PlatformAPIKey:         get("ASSESSBRIDGE_PLATFORM_API_KEY", ""),
		PlatformCallbackSecret: get("ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET", ""),
		LogLevel:               get("ASSESSBRIDGE_LOG_LEVEL", "info"),
		MetricsAddr:            get("ASSESSBRIDGE_METRICS_ADDR", ""),
		LeverClientID:          get("ASSESSBRIDGE_LEVER_CLIENT_ID", ""),
		LeverClientSecret:      get("ASSESSBRIDGE_LEVER_CLIENT_SECRET", ""),
		LeverAuthURL:           get("ASSESSBRIDGE_LEVER_AUTH_URL", "https://auth.lever.co/authorize"),
		LeverTokenURL:          get("ASSESSBRIDGE_LEVER_TOKEN_URL", "https://auth.lever.co/oauth/token"),
		LeverAudience:          get("ASSESSBRIDGE_LEVER_AUDIENCE", "https://api.lever.co/v1/"),
		AdminPassword:          getenv("ASSESSBRIDGE_ADMIN_PASSWORD"),
		TemporalUIURL:          strings.TrimRight(get("ASSESSBRIDGE_TEMPORAL_UI_URL", ""), "/"),
		HistoryKeys:            getenv("ASSESSBRIDGE_HISTORY_KEYS"),
		CodecToken:             getenv("ASSESSBRIDGE_CODEC_TOKEN"),
		LeverAPIKey:            get("ASSESSBRIDGE_LEVER_API_KEY", ""),
		LeverWebhookTokens:     list(getenv("ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS")),
		TriggerStages:          list(getenv("ASSESSBRIDGE_TRIGGER_STAGES")),
		PerformAs:              get("ASSESSBRIDGE_PERFORM_AS", ""),
	}
	// Lowest to highest: defaults, the temporal.toml profile, TEMPORAL_*, then
	// ASSESSBRIDGE_TEMPORAL_ADDRESS and ASSESSBRIDGE_TEMPORAL_NAMESPACE.
	temporal, addr, ns, err := loadTemporal(envLookup{getenv: getenv, environ: environ})
	if err != nil {
		errs = append(errs, err)
	}
	c.Temporal = temporal
	c.TemporalAddress = get("ASSESSBRIDGE_TEMPORAL_ADDRESS", cmp.Or(addr, "127.0.0.1:7233"))
	c.TemporalNamespace = get("ASSESSBRIDGE_TEMPORAL_NAMESPACE", cmp.Or(ns, "default"))
	var completionErrs []error
	c.Completion, completionErrs = loadCompletion(get)
	errs = append(errs, completionErrs...)
	errs = append(errs, c.checkEnvAccount()...)
	c.StoreDSN = get("ASSESSBRIDGE_STORE_DSN", filepath.Join(c.DataDir, "assessbridge.db"))
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		errs = append(errs, fmt.Errorf("ASSESSBRIDGE_HTTP_ADDR: want host:port, got %q", c.HTTPAddr))
	}
	if _, _, err := net.SplitHostPort(c.MetricsAddr); c.MetricsAddr != "" && err != nil {
		errs = append(errs, fmt.Errorf("ASSESSBRIDGE_METRICS_ADDR: want host:port, got %q", c.MetricsAddr))
	}
	c.PublicURL = strings.TrimRight(get("ASSESSBRIDGE_PUBLIC_URL", "http://"+c.HTTPAddr), "/")
	if c.LeverClientID != "" && c.LeverClientSecret == "" {
		errs = append(errs, errors.New("ASSESSBRIDGE_LEVER_CLIENT_SECRET: required with ASSESSBRIDGE_LEVER_CLIENT_ID"))
	}
	for name, v := range map[string]string{"ASSESSBRIDGE_PUBLIC_URL": c.PublicURL, "ASSESSBRIDGE_LEVER_API_URL": c.LeverAPIURL,
		"ASSESSBRIDGE_PLATFORM_URL": c.PlatformURL, "ASSESSBRIDGE_LEVER_AUTH_URL": c.LeverAuthURL, "ASSESSBRIDGE_LEVER_TOKEN_URL": c.LeverTokenURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("%s: want an http(s) URL, got %q", name, v))
		}
	}
	if k := getenv("ASSESSBRIDGE_SECRET_KEY"); k != "" {
		key, err := store.ParseKey(strings.TrimSpace(k))
		if err != nil {
			errs = append(errs, fmt.Errorf("ASSESSBRIDGE_SECRET_KEY: %w", err))
		}
		c.SecretKey = key
	}
	if c.LeverRate, err = strconv.ParseFloat(get("ASSESSBRIDGE_LEVER_RATE", "10"), 64); err != nil || c.LeverRate <= 0 {
		errs = append(errs, errors.New("ASSESSBRIDGE_LEVER_RATE: want a positive number"))
	}
	intVar := func(name, def string, lo, hi int) int {
		n, err := strconv.Atoi(get(name, def))
		if err != nil || n < lo || n > hi {
			errs = append(errs, fmt.Errorf("%s: want a whole number from %d to %d", name, lo, hi))
		}
		return n
	}
	c.LeverBurst = intVar("ASSESSBRIDGE_LEVER_BURST", "20", 1, 1000)
	durationVar := func(name, def string, lo, hi time.Duration) time.Duration {
		d, err := time.ParseDuration(get(name, def))
		if err != nil || d < lo || d > hi {
			errs = append(errs, fmt.Errorf("%s: want a duration from %s to %s, such as %s", name, lo, hi, def))
		}
		return d
	}
	c.LeverTimeout = durationVar("ASSESSBRIDGE_LEVER_TIMEOUT", "30s", time.Second, time.Minute)
	c.PlatformTimeout = durationVar("ASSESSBRIDGE_PLATFORM_TIMEOUT", "15s", time.Second, time.Minute)
	c.UIPort = intVar("ASSESSBRIDGE_UI_PORT", "8233", -1, 65535)
	c.TemporalPort = intVar("ASSESSBRIDGE_TEMPORAL_PORT", "7233", 0, 65535)
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("ASSESSBRIDGE_LOG_LEVEL: want debug, info, warn or error, got %q", c.LogLevel))
	}
	if c.HistoryKeys != "" {
		if _, err := codec.ParseKeys(c.HistoryKeys); err != nil {
			errs = append(errs, fmt.Errorf("ASSESSBRIDGE_HISTORY_KEYS: %w", err))
		}
	}
	if o := getenv("ASSESSBRIDGE_CODEC_ORIGINS"); o != "" {
		for _, origin := range strings.Split(o, ",") {
			c.CodecOrigins = append(c.CodecOrigins, strings.TrimSpace(origin))
		}
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

// CallbackURL is where the platform sends callbacks.
func (c Config) CallbackURL() string { return c.PublicURL + "/callbacks/assessment" }

// WebhookURL is the Lever webhook address of an account.
func (c Config) WebhookURL(account string) string { return c.PublicURL + "/webhooks/lever/" + account }

// OAuthRedirectURL is the redirect URI to register with Lever for the admin page's Connect.
func (c Config) OAuthRedirectURL() string { return c.PublicURL + "/admin/oauth/callback" }

// CheckWorker lists what a worker needs and is missing.
func (c Config) CheckWorker() error {
	return c.missing(map[string]bool{
		"ASSESSBRIDGE_SECRET_KEY":       len(c.SecretKey) == 0,
		"ASSESSBRIDGE_PLATFORM_URL":     c.PlatformURL == "",
		"ASSESSBRIDGE_PLATFORM_API_KEY": c.PlatformAPIKey == "",
	})
}

// CheckStarter lists what the front door needs and is missing.
func (c Config) CheckStarter() error {
	return c.missing(map[string]bool{
		"ASSESSBRIDGE_SECRET_KEY":               len(c.SecretKey) == 0,
		"ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET": c.PlatformCallbackSecret == "",
	})
}

func (c Config) missing(absent map[string]bool) error {
	var names []string
	for _, name := range Vars {
		if absent[name] {
			names = append(names, name+c.devHint(name))
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("configuration: missing %s", strings.Join(names, ", "))
}
