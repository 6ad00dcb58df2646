package service

import (
	"context"

	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/envaccount"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// LeverWithKey builds a Lever client for an API key; an empty base URL is the configured one.
func LeverWithKey(cfg config.Config) envaccount.NewLever {
	return func(baseURL, apiKey string) (*lever.Client, error) {
		if baseURL == "" {
			baseURL = cfg.LeverAPIURL
		}
		return lever.New(baseURL, lever.WithAPIKey(apiKey))
	}
}

// ApplyEnvAccount configures the account from the environment (envaccount.Apply; nothing
// without ASSESSBRIDGE_LEVER_API_KEY) at start, fills its catalogue from the platform when one
// is configured, and wakes its workflows waiting for Lever, so a fixed key and a restart carry
// them on. A rejected key or a refused catalogue request fails start-up; a platform outage only
// warns (the catalogue stored earlier stays).
func ApplyEnvAccount(ctx context.Context, cfg config.Config, st *store.Store, tc client.Client, z *zap.Logger) error {
	if !cfg.EnvAccount() {
		return nil
	}
	if err := envaccount.Apply(ctx, cfg, st, LeverWithKey(cfg)); err != nil {
		return err
	}
	log := z.With(zap.String("account", config.EnvAccountID))
	log.Info("lever account configured from the environment", zap.String("webhook_url", cfg.WebhookURL(config.EnvAccountID)))
	if acct, err := st.Account(ctx, config.EnvAccountID); err == nil {
		for _, gap := range envaccount.Gaps(acct) {
			log.Warn("environment account incomplete: " + gap)
		}
	}
	if cfg.PlatformURL != "" && cfg.PlatformAPIKey != "" {
		pc, err := Platform(cfg)
		if err != nil {
			return err
		}
		n, err := envaccount.SyncCatalogue(ctx, st, pc)
		switch {
		case err != nil && !assessment.IsRetryable(err):
			return err
		case err != nil:
			log.Warn("assessment catalogue not refreshed; keeping the stored one", zap.Error(err))
		default:
			log.Info("assessment catalogue refreshed", zap.Int("assessments", n))
		}
	}
	if tc != nil {
		n, err := ResumeAccount(ctx, tc, cfg.TemporalNamespace, config.EnvAccountID)
		if err != nil {
			log.Warn("resume waiting workflows", zap.Error(err))
		} else if n > 0 {
			log.Info("resumed workflows waiting for lever", zap.Int("workflows", n))
		}
	}
	return nil
}
