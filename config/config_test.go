package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"HTTPAddr", c.HTTPAddr, "127.0.0.1:8080"},
		{"PublicURL", c.PublicURL, "http://127.0.0.1:8080"},
		{"TemporalAddress", c.TemporalAddress, "127.0.0.1:7233"},
		{"LeverAPIURL", c.LeverAPIURL, "https://api.lever.co/v1"},
		{"StoreDSN", c.StoreDSN, ".data/assessbridge.db"},
		{"CallbackURL", c.CallbackURL(), "http://127.0.0.1:8080/callbacks/assessment"},
		{"WebhookURL", c.WebhookURL("acme"), "http://127.0.0.1:8080/webhooks/lever/acme"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %q, want %q", ch.name, ch.got, ch.want)
		}
	}
	if c.LeverRate != 10 || c.LeverBurst != 20 || c.UIPort != 8233 || c.TemporalPort != 7233 {
		t.Errorf("numbers: got rate %g burst %d ui %d temporal %d", c.LeverRate, c.LeverBurst, c.UIPort, c.TemporalPort)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load(env(map[string]string{
		"ASSESSBRIDGE_HTTP_ADDR":     "nope",
		"ASSESSBRIDGE_LEVER_API_URL": "ftp://x",
		"ASSESSBRIDGE_SECRET_KEY":    "short",
		"ASSESSBRIDGE_LEVER_RATE":    "-1",
		"ASSESSBRIDGE_UI_PORT":       "70000",
		"ASSESSBRIDGE_LOG_LEVEL":     "loud",
		"ASSESSBRIDGE_METRICS_ADDR":  "9090",
	}))
	if err == nil {
		t.Fatal("got nil error, want one listing every problem")
	}
	for _, name := range []string{"HTTP_ADDR", "LEVER_API_URL", "SECRET_KEY", "LEVER_RATE", "UI_PORT", "LOG_LEVEL", "METRICS_ADDR"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
	if strings.Contains(err.Error(), "short") {
		t.Errorf("error repeats the secret key: %q", err)
	}
}

func TestChecks(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckWorker(); err == nil || !strings.Contains(err.Error(), "ASSESSBRIDGE_PLATFORM_URL") || !strings.Contains(err.Error(), "ASSESSBRIDGE_SECRET_KEY") {
		t.Errorf("CheckWorker: got %v, want the missing platform URL and key", err)
	}
	c, err = Load(env(map[string]string{
		"ASSESSBRIDGE_SECRET_KEY":               strings.Repeat("ab", 32),
		"ASSESSBRIDGE_PLATFORM_URL":             "https://platform.example/api",
		"ASSESSBRIDGE_PLATFORM_API_KEY":         "k",
		"ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET": "s",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckWorker(); err != nil {
		t.Errorf("CheckWorker: %v", err)
	}
	if err := c.CheckStarter(); err != nil {
		t.Errorf("CheckStarter: %v", err)
	}
}

func TestHistoryKeys(t *testing.T) {
	key := "dev1:" + strings.Repeat("A", 43) + "="
	c, err := Load(env(map[string]string{"ASSESSBRIDGE_HISTORY_KEYS": key, "ASSESSBRIDGE_CODEC_ORIGINS": "http://127.0.0.1:8233, https://ui.example"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HistoryKeys != key || len(c.CodecOrigins) != 2 || c.CodecOrigins[1] != "https://ui.example" {
		t.Errorf("got keys %q origins %q", c.HistoryKeys, c.CodecOrigins)
	}
	_, err = Load(env(map[string]string{"ASSESSBRIDGE_HISTORY_KEYS": "dev1:c2hvcnQ="}))
	if err == nil || !strings.Contains(err.Error(), "ASSESSBRIDGE_HISTORY_KEYS") || strings.Contains(err.Error(), "c2hvcnQ") {
		t.Errorf("bad key: got %v, want an error naming the variable without the key", err)
	}
}
