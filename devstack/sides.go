package devstack

import (
	"context"
	"fmt"
	"strings"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/envaccount"
)

// LeverSimulated reports whether the Lever simulator stands in for Lever.
func (s *Stack) LeverSimulated() bool { return s.Sims != nil && s.Sims.Lever != nil }

// PlatformSimulated reports whether the platform simulator stands in for the platform.
func (s *Stack) PlatformSimulated() bool { return s.Sims != nil && s.Sims.Platform != nil }

// Sides describes, for the start-up message, which side is real and which simulated, and for the
// environment account the webhook URL to paste into Lever and what is still missing.
func (s *Stack) Sides(ctx context.Context) []string {
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	c := s.Config
	switch {
	case s.LeverSimulated() && c.EnvAccount():
		add("Lever:               SIMULATED at %s (accounts %q and %q, the latter with your API key)", s.Sims.LeverURL, DemoAccount, config.EnvAccountID)
	case s.LeverSimulated():
		add("Lever:               SIMULATED at %s (account %q)", s.Sims.LeverURL, DemoAccount)
	case c.EnvAccount():
		add("Lever:               REAL at %s (account %q from ASSESSBRIDGE_LEVER_API_KEY)", c.LeverAPIURL, config.EnvAccountID)
	default:
		add("Lever:               REAL at %s (accounts connected on the admin page)", c.LeverAPIURL)
	}
	if s.PlatformSimulated() {
		add("assessment platform: SIMULATED at %s", s.Sims.PlatformURL)
	} else {
		add("assessment platform: REAL at %s (ASSESSBRIDGE_PLATFORM_URL)", c.PlatformURL)
	}
	if !c.EnvAccount() {
		return lines
	}
	hook := c.WebhookURL(config.EnvAccountID)
	if s.LeverSimulated() {
		add("webhooks:            %s (account %q, made in the simulated Lever with ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS)", hook, config.EnvAccountID)
	} else {
		add("webhook URL to paste into Lever (Settings → Integrations and API → Webhooks): %s", hook)
		if !strings.HasPrefix(c.PublicURL, "https://") {
			add("warning: Lever only delivers to HTTPS addresses it can reach; set ASSESSBRIDGE_PUBLIC_URL to one that leads here")
		}
	}
	acct, err := s.Store.Account(ctx, config.EnvAccountID)
	if err != nil {
		add("warning: account %q: %v", config.EnvAccountID, err)
		return lines
	}
	for _, gap := range envaccount.Gaps(acct) {
		add("warning: %s", gap)
	}
	return lines
}
