package envaccount

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// accountName is the name a new environment account gets; an admin may rename it.
const accountName = "Lever (from the environment)"

// NewLever builds a Lever client authenticated with an API key, e.g. lever.New with
// lever.WithAPIKey. Tests pass one with a short retry budget.
type NewLever func(baseURL, apiKey string) (*lever.Client, error)

// Apply writes the environment account into the store when ASSESSBRIDGE_LEVER_API_KEY is set
// (and does nothing otherwise): the key, ASSESSBRIDGE_LEVER_API_URL, and each of the webhook
// tokens, trigger stages and perform_as user that the environment sets; what it does not set is
// kept from the stored account (an admin may have set it). The account is marked connected, so
// fixing a rejected key and restarting lets waiting workflows carry on. Lever is called only to
// resolve trigger stages and a perform_as email; the returned error lists every problem.
func Apply(ctx context.Context, cfg config.Config, st *store.Store, newLever NewLever) error {
	if !cfg.EnvAccount() {
		return nil
	}
	s, err := resolve(ctx, cfg, newLever)
	if err != nil {
		return fmt.Errorf("environment account %q: %w", config.EnvAccountID, err)
	}
	err = st.UpdateAccount(ctx, config.EnvAccountID, func(a *store.Account) error {
		s.applyTo(a)
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		a := store.Account{ID: config.EnvAccountID}
		s.applyTo(&a)
		err = st.PutAccount(ctx, a)
	}
	if err != nil {
		return fmt.Errorf("environment account %q: save: %w", config.EnvAccountID, err)
	}
	return nil
}

// settings are the environment's values, resolved into what the store keeps.
type settings struct {
	baseURL, apiKey string
	webhookTokens   []string // nil: not set
	triggerStages   []string // stage ids; nil: not set
	performAs       string   // user id; "": not set
}

func (s settings) applyTo(a *store.Account) {
	if a.Name == "" {
		a.Name = accountName
	}
	a.Status = store.StatusConnected
	a.LeverBaseURL, a.APIKey = s.baseURL, s.apiKey
	// One credential per account, as the admin page keeps it: the key replaces OAuth tokens.
	a.AccessToken, a.RefreshToken, a.TokenExpiry = "", "", time.Time{}
	if s.webhookTokens != nil {
		a.WebhookTokens = s.webhookTokens
	}
	if s.triggerStages != nil {
		a.TriggerStages = s.triggerStages
	}
	if s.performAs != "" {
		a.PerformAs = s.performAs
	}
}
