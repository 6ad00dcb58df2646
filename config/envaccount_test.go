package config

import (
	"slices"
	"strings"
	"testing"
)

func TestLoadEnvAccount(t *testing.T) {
	tests := []struct {
		name                string
		env                 map[string]string
		wantKey, wantPerfAs string
		wantTokens, wantStg []string
	}{
		{name: "none", env: nil},
		{
			name: "all set, lists trimmed and empties dropped",
			env: map[string]string{
				"ASSESSBRIDGE_LEVER_API_KEY":        " key123 ",
				"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS": "tok-a, tok-b,,",
				"ASSESSBRIDGE_TRIGGER_STAGES":       "Assessment , 0f3c-stage-id",
				"ASSESSBRIDGE_PERFORM_AS":           "riley@example.com",
			},
			wantKey: "key123", wantPerfAs: "riley@example.com",
			wantTokens: []string{"tok-a", "tok-b"}, wantStg: []string{"Assessment", "0f3c-stage-id"},
		},
		{
			name:    "key only",
			env:     map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": "key123"},
			wantKey: "key123",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if c.LeverAPIKey != tt.wantKey || c.PerformAs != tt.wantPerfAs {
				t.Errorf("key, perform_as: got %q, %q, want %q, %q", c.LeverAPIKey, c.PerformAs, tt.wantKey, tt.wantPerfAs)
			}
			if !slices.Equal(c.LeverWebhookTokens, tt.wantTokens) || !slices.Equal(c.TriggerStages, tt.wantStg) {
				t.Errorf("tokens, stages: got %q, %q, want %q, %q", c.LeverWebhookTokens, c.TriggerStages, tt.wantTokens, tt.wantStg)
			}
			if got, want := c.EnvAccount(), tt.wantKey != ""; got != want {
				t.Errorf("EnvAccount: got %v, want %v", got, want)
			}
		})
	}
}

func TestLoadEnvAccountProblems(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		want      []string // every one must be named
		neverShow []string // secrets that must not be repeated
	}{
		{
			name: "settings without a key",
			env: map[string]string{
				"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS": "tok",
				"ASSESSBRIDGE_TRIGGER_STAGES":       "Assessment",
				"ASSESSBRIDGE_PERFORM_AS":           "u-1",
			},
			want: []string{"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS", "ASSESSBRIDGE_TRIGGER_STAGES", "ASSESSBRIDGE_PERFORM_AS", "needs the key"},
		},
		{
			name: "malformed key and token, with other problems",
			env: map[string]string{
				"ASSESSBRIDGE_LEVER_API_KEY":        "key with spaces",
				"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS": "good,bad token",
				"ASSESSBRIDGE_LOG_LEVEL":            "loud",
			},
			want:      []string{"ASSESSBRIDGE_LEVER_API_KEY", "token 2", "ASSESSBRIDGE_LOG_LEVEL"},
			neverShow: []string{"key with spaces", "bad token"},
		},
		{
			name:      "colon in the key",
			env:       map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": "user:pass"},
			want:      []string{"ASSESSBRIDGE_LEVER_API_KEY", "colon"},
			neverShow: []string{"user:pass"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			if err == nil {
				t.Fatal("got nil error, want one naming every problem")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to name %q", err, w)
				}
			}
			for _, secret := range tt.neverShow {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("got error %q, want it without the secret %q", err, secret)
				}
			}
		})
	}
}

func TestVarsListEnvAccount(t *testing.T) {
	for _, name := range []string{"ASSESSBRIDGE_LEVER_API_KEY", "ASSESSBRIDGE_LEVER_API_URL", "ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS",
		"ASSESSBRIDGE_TRIGGER_STAGES", "ASSESSBRIDGE_PERFORM_AS"} {
		if !slices.Contains(Vars, name) {
			t.Errorf("Vars: got no %s, want it listed", name)
		}
	}
}
