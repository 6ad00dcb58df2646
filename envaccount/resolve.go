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
// when stages are set (trigger and completion stages share one call), the archive reasons when
// one is named, a user when perform_as is an email. Every problem is joined.
func resolve(ctx context.Context, cfg config.Config, newLever NewLever) (settings, error) {
	s := settings{baseURL: cfg.LeverAPIURL, apiKey: cfg.LeverAPIKey, webhookTokens: cfg.LeverWebhookTokens,
		completion: cfg.Completion}
	if s.webhookTokens != nil {
		s.webhookTokens = dedupe(s.webhookTokens)
	}
	email := strings.Contains(cfg.PerformAs, "@")
	if !email {
		s.performAs = cfg.PerformAs // an id is kept as it is
	}
	stageVars := completionStages(&s.completion)
	needStages := len(cfg.TriggerStages) > 0 || len(stageVars) > 0
	needReasons := cfg.Completion.ArchiveReason.Value != ""
	if !needStages && !needReasons && !email {
		return s, nil
	}
	lc, err := newLever(cfg.LeverAPIURL, cfg.LeverAPIKey)
	if err != nil {
		return settings{}, fmt.Errorf("lever client: %w", err)
	}
	var errs []error
	keyRejected := false
	// failed reports a Lever call's error once per cause: a rejected key only the first time.
	failed := func(variable, what, access string, err error) {
		if keyRejected && errors.Is(err, lever.ErrAccessRevoked) {
			return
		}
		keyRejected = keyRejected || errors.Is(err, lever.ErrAccessRevoked)
		errs = append(errs, leverProblem(cfg, variable, what, access, err))
	}
	if needStages {
		stages, err := lc.ListStages(ctx)
		if err != nil {
			variable := "ASSESSBRIDGE_TRIGGER_STAGES"
			if len(cfg.TriggerStages) == 0 {
				variable = stageVars[0].name
			}
			failed(variable, "list stages", "read access to stages", err)
		} else {
			if len(cfg.TriggerStages) > 0 {
				s.triggerStages, err = matchStages("ASSESSBRIDGE_TRIGGER_STAGES", cfg.TriggerStages, stages)
				errs = append(errs, err)
			}
			for _, sv := range stageVars {
				ids, err := matchStages(sv.name, []string{*sv.value}, stages)
				if err == nil {
					*sv.value = ids[0]
				}
				errs = append(errs, err)
			}
		}
	}
	if needReasons && !keyRejected {
		reasons, err := lc.ListArchiveReasons(ctx)
		if err != nil {
			failed("ASSESSBRIDGE_ARCHIVE_REASON", "list archive reasons", "read access to archive reasons", err)
		} else {
			s.completion.ArchiveReason.Value, err = matchReason(cfg.Completion.ArchiveReason.Value, reasons)
			errs = append(errs, err)
		}
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
			failed("ASSESSBRIDGE_PERFORM_AS", "look up the user", "read access to users", err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return settings{}, err
	}
	return s, nil
}

// stageVar is a completion stage the environment names, resolved in place.
type stageVar struct {
	name  string
	value *string
}

// completionStages lists the completion stages c sets to a stage (not "off").
func completionStages(c *config.Completion) []stageVar {
	var out []stageVar
	for _, sv := range []struct {
		name    string
		setting *config.Setting[string]
	}{
		{"ASSESSBRIDGE_COMPLETION_STAGE", &c.Stage},
		{"ASSESSBRIDGE_PASS_STAGE", &c.PassStage},
		{"ASSESSBRIDGE_FAIL_STAGE", &c.FailStage},
	} {
		if sv.setting.Value != "" {
			out = append(out, stageVar{name: sv.name, value: &sv.setting.Value})
		}
	}
	return out
}

// matchStages maps each wanted stage, an id Lever lists or a stage name (case and surrounding
// spaces ignored), to its id. The error, for variable, names every unknown and every ambiguous
// entry.
func matchStages(variable string, want []string, stages []lever.Stage) ([]string, error) {
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
			errs = append(errs, fmt.Errorf("%s: %d Lever stages are named %q; give the id of the one you mean (%s)",
				variable, len(named), w, strings.Join(named, ", ")))
		default:
			unknown = append(unknown, fmt.Sprintf("%q", w))
		}
	}
	if len(unknown) > 0 {
		noun := "stage"
		if len(unknown) > 1 {
			noun = "stages"
		}
		errs = append([]error{fmt.Errorf("%s: Lever has no %s %s (neither id nor name); its stages are %s",
			variable, noun, strings.Join(unknown, ", "), stageList(stages))}, errs...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return dedupe(out), nil
}

// matchReason maps an archive reason id or name (case ignored) to its id. Only non-hired
// reasons qualify: archiving a low score as "hired" would tell Lever the opposite.
func matchReason(want string, reasons []lever.ArchiveReason) (string, error) {
	var named []lever.ArchiveReason
	for _, r := range reasons {
		if r.ID == want {
			named = []lever.ArchiveReason{r}
			break
		}
		if strings.EqualFold(strings.TrimSpace(r.Text), want) {
			named = append(named, r)
		}
	}
	switch {
	case len(named) == 0:
		return "", fmt.Errorf("ASSESSBRIDGE_ARCHIVE_REASON: Lever has no archive reason %q (neither id nor name); its non-hired reasons are %s",
			want, reasonList(reasons))
	case len(named) > 1:
		ids := make([]string, 0, len(named))
		for _, r := range named {
			ids = append(ids, r.ID)
		}
		return "", fmt.Errorf("ASSESSBRIDGE_ARCHIVE_REASON: %d Lever archive reasons are named %q; give the id of the one you mean (%s)",
			len(named), want, strings.Join(ids, ", "))
	case named[0].Type == lever.ArchiveReasonHired:
		return "", fmt.Errorf("ASSESSBRIDGE_ARCHIVE_REASON: %q is a reason for hired candidates; choose a non-hired one: %s",
			named[0].Text, reasonList(reasons))
	}
	return named[0].ID, nil
}

// reasonList names the account's non-hired archive reasons for an error message.
func reasonList(reasons []lever.ArchiveReason) string {
	var names []string
	for _, r := range reasons {
		if r.Type != lever.ArchiveReasonHired {
			names = append(names, fmt.Sprintf("%q (%s)", r.Text, r.ID))
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
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
