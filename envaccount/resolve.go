package envaccount

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
)

// resolve turns the environment into settings, asking Lever only what it must: the stage list
// when trigger stages are set, a user when perform_as is an email. Every problem is joined.
func resolve(ctx context.Context, cfg config.Config, newLever NewLever) (settings, error) {
	s := settings{baseURL: cfg.LeverAPIURL, apiKey: cfg.LeverAPIKey, webhookTokens: cfg.LeverWebhookTokens}
	if s.webhookTokens != nil {
		s.webhookTokens = dedupe(s.webhookTokens)
	}
	email := strings.Contains(cfg.PerformAs, "@")
	if !email {
		s.performAs = cfg.PerformAs // an id is kept as it is
	}
	if len(cfg.TriggerStages) == 0 && !email {
		return s, nil
	}
	lc, err := newLever(cfg.LeverAPIURL, cfg.LeverAPIKey)
	if err != nil {
		return settings{}, fmt.Errorf("lever client: %w", err)
	}
	var errs []error
	keyRejected := false
	if len(cfg.TriggerStages) > 0 {
		stages, err := lc.ListStages(ctx)
		if err == nil {
			s.triggerStages, err = matchStages(cfg.TriggerStages, stages)
		} else {
			keyRejected = errors.Is(err, lever.ErrAccessRevoked)
			err = leverProblem(cfg, "ASSESSBRIDGE_TRIGGER_STAGES", "list stages", "read access to stages", err)
		}
		errs = append(errs, err)
	}
	if email && !keyRejected { // a rejected key would only be reported twice
		u, err := lc.FindUserByEmail(ctx, cfg.PerformAs)
		switch {
		case err == nil:
			s.performAs = u.ID
		case errors.Is(err, lever.ErrNotFound):
			// The address is not repeated: it is a person's email.
			errs = append(errs, errors.New("ASSESSBRIDGE_PERFORM_AS: no Lever user has that email address; give a Lever user's email or id"))
		default:
			errs = append(errs, leverProblem(cfg, "ASSESSBRIDGE_PERFORM_AS", "look up the user", "read access to users", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return settings{}, err
	}
	return s, nil
}

// matchStages maps each wanted stage, an id Lever lists or a stage name (case and surrounding
// spaces ignored), to its id. The error names every unknown and every ambiguous entry.
func matchStages(want []string, stages []lever.Stage) ([]string, error) {
	ids := map[string]bool{}
	byName := map[string][]string{}
	for _, st := range stages {
		ids[st.ID] = true
		name := strings.ToLower(strings.TrimSpace(st.Text))
		byName[name] = append(byName[name], st.ID)
	}
	var out, unknown []string
	var errs []error
	for _, w := range want {
		switch named := byName[strings.ToLower(w)]; {
		case ids[w]:
			out = append(out, w)
		case len(named) == 1:
			out = append(out, named[0])
		case len(named) > 1:
			errs = append(errs, fmt.Errorf("ASSESSBRIDGE_TRIGGER_STAGES: %d Lever stages are named %q; give the id of the one you mean (%s)",
				len(named), w, strings.Join(named, ", ")))
		default:
			unknown = append(unknown, fmt.Sprintf("%q", w))
		}
	}
	if len(unknown) > 0 {
		noun := "stage"
		if len(unknown) > 1 {
			noun = "stages"
		}
		errs = append([]error{fmt.Errorf("ASSESSBRIDGE_TRIGGER_STAGES: Lever has no %s %s (neither id nor name); its stages are %s",
			noun, strings.Join(unknown, ", "), stageList(stages))}, errs...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return dedupe(out), nil
}

// stageList names the account's stages for an error message, capped so a huge pipeline stays readable.
func stageList(stages []lever.Stage) string {
	const most = 30
	if len(stages) == 0 {
		return "none"
	}
	names := make([]string, 0, min(len(stages), most))
	for _, st := range stages[:min(len(stages), most)] {
		names = append(names, fmt.Sprintf("%q (%s)", st.Text, st.ID))
	}
	if len(stages) > most {
		names = append(names, fmt.Sprintf("and %d more", len(stages)-most))
	}
	return strings.Join(names, ", ")
}

// leverProblem explains a failed Lever call in terms of the variable that needed it.
func leverProblem(cfg config.Config, variable, what, access string, err error) error {
	switch {
	case isStatus(err, http.StatusUnauthorized):
		return fmt.Errorf("ASSESSBRIDGE_LEVER_API_KEY: Lever at %s rejected the API key (401); check the key, and that ASSESSBRIDGE_LEVER_API_URL is the Lever it was made in (sandbox keys work only with https://api.sandbox.lever.co/v1)",
			cfg.LeverAPIURL)
	case isStatus(err, http.StatusForbidden):
		return fmt.Errorf("ASSESSBRIDGE_LEVER_API_KEY: Lever does not let the key %s (403), needed for %s; give the key %s in Lever's API credentials",
			what, variable, access)
	default:
		return fmt.Errorf("%s: could not %s in Lever at %s: %w", variable, what, cfg.LeverAPIURL, err)
	}
}

func isStatus(err error, status int) bool {
	apiErr, ok := errors.AsType[*lever.APIError](err)
	return ok && apiErr.StatusCode == status
}

// dedupe drops repeated entries, keeping the first of each.
func dedupe(items []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out
}
