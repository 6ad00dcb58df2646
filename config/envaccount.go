package config

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// EnvAccountID is the account configured from the environment: its webhook URL is
// WebhookURL(EnvAccountID).
const EnvAccountID = "default"

// EnvAccount reports whether the environment configures a Lever account (it has an API key).
func (c Config) EnvAccount() bool { return c.LeverAPIKey != "" }

// checkEnvAccount checks the form of the environment account's variables; what Lever knows
// (stage names, user emails, whether the key works) is checked by envaccount at start.
// Secrets are never repeated in the messages.
func (c Config) checkEnvAccount() []error {
	var errs []error
	if c.LeverAPIKey == "" {
		for _, v := range []struct {
			name string
			set  bool
		}{
			{"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS", len(c.LeverWebhookTokens) > 0},
			{"ASSESSBRIDGE_TRIGGER_STAGES", len(c.TriggerStages) > 0},
			{"ASSESSBRIDGE_PERFORM_AS", c.PerformAs != ""},
		} {
			if v.set {
				errs = append(errs, fmt.Errorf("%s: set without ASSESSBRIDGE_LEVER_API_KEY; the environment account needs the key", v.name))
			}
		}
		for _, name := range c.Completion.setVars() {
			errs = append(errs, fmt.Errorf("%s: set without ASSESSBRIDGE_LEVER_API_KEY; the environment account needs the key", name))
		}
		return errs
	}
	// HTTP Basic cannot carry a colon in the user name, and spaces are always a paste mistake.
	if strings.ContainsFunc(c.LeverAPIKey, badSecretRune) || strings.Contains(c.LeverAPIKey, ":") {
		errs = append(errs, errors.New("ASSESSBRIDGE_LEVER_API_KEY: contains spaces, control characters or a colon; paste the key exactly"))
	}
	for i, tok := range c.LeverWebhookTokens {
		if strings.ContainsFunc(tok, badSecretRune) {
			errs = append(errs, fmt.Errorf("ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS: token %d contains spaces or control characters; separate tokens with commas", i+1))
		}
	}
	return errs
}

func badSecretRune(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// list splits a comma-separated value, trimming items and dropping empty ones.
func list(v string) []string {
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
