package envaccount

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
// kept from the stored account (an admin may have set it). The completion settings
// (ASSESSBRIDGE_COMPLETION_STAGE and the rest) work the same way, "off" turning one off; the
// result must pass store.Account.ValidateCompletion, or nothing is saved. The account is marked
// connected, so fixing a rejected key and restarting lets waiting workflows carry on. Lever is
// called only to resolve stage and archive reason names and a perform_as email; the returned
// error lists every problem.
func Apply(ctx context.Context, cfg config.Config, st *store.Store, newLever NewLever) error {
	if !cfg.EnvAccount() {
		return nil
	}
	s, err := resolve(ctx, cfg, newLever)
	if err != nil {
		return fmt.Errorf("environment account %q: %w", config.EnvAccountID, err)
	}
	err = st.UpdateAccount(ctx, config.EnvAccountID, func(a *store.Account) error {
		return s.applyTo(a)
	})
	if errors.Is(err, store.ErrNotFound) {
		a := store.Account{ID: config.EnvAccountID}
		if err = s.applyTo(&a); err == nil {
			err = st.PutAccount(ctx, a)
		}
	}
	var invalid *completionError
	if errors.As(err, &invalid) {
		return fmt.Errorf("environment account %q: %w", config.EnvAccountID, err)
	}
	if err != nil {
		return fmt.Errorf("environment account %q: save: %w", config.EnvAccountID, err)
	}
	return nil
}

// settings are the environment's values, resolved into what the store keeps.
type settings struct {
	baseURL, apiKey string
	webhookTokens   []string          // nil: not set
	triggerStages   []string          // stage ids; nil: not set
	performAs       string            // user id; "": not set
	completion      config.Completion // stage and archive reason names resolved to ids
}

// applyTo writes the settings into a and checks the completion settings it ends up with.
func (s settings) applyTo(a *store.Account) error {
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
	s.applyCompletion(a)
	if err := a.ValidateCompletion(); err != nil {
		return &completionError{err: err}
	}
	return nil
}

func (s settings) applyCompletion(a *store.Account) {
	c := s.completion
	set := func(dst *string, v config.Setting[string]) {
		if v.Set {
			*dst = v.Value
		}
	}
	set(&a.CompletionStageID, c.Stage)
	set(&a.PassStageID, c.PassStage)
	set(&a.FailStageID, c.FailStage)
	set(&a.ArchiveReasonID, c.ArchiveReason)
	if c.PassThreshold.Set {
		a.PassThreshold = c.PassThreshold.Value
		// Pass and fail stages mean nothing without the threshold: turning it off drops them.
		if a.PassThreshold == nil && !c.PassStage.Set {
			a.PassStageID = ""
		}
		if a.PassThreshold == nil && !c.FailStage.Set {
			a.FailStageID = ""
		}
	}
	if c.ArchiveBelow.Set {
		a.ArchiveBelow = c.ArchiveBelow.Value
	}
	if c.ArchiveGrace.Set {
		a.ArchiveGrace = c.ArchiveGrace.Value
	}
	if c.UploadReport.Set {
		a.UploadReport = c.UploadReport.Value
	}
	if c.InviteOnApplication.Set {
		a.InviteOnApplication = c.InviteOnApplication.Value
	}
	if c.NoAssessmentNotice.Set {
		a.QuietNoAssessment = !c.NoAssessmentNotice.Value
	}
}

// completionVar names the variable behind each field store.CompletionError reports.
var completionVar = map[string]string{
	"PassThreshold":   "ASSESSBRIDGE_PASS_THRESHOLD",
	"PassStageID":     "ASSESSBRIDGE_PASS_STAGE",
	"FailStageID":     "ASSESSBRIDGE_FAIL_STAGE",
	"ArchiveBelow":    "ASSESSBRIDGE_ARCHIVE_BELOW",
	"ArchiveReasonID": "ASSESSBRIDGE_ARCHIVE_REASON",
	"ArchiveGrace":    "ASSESSBRIDGE_ARCHIVE_GRACE",
}

// completionError is a rejected combination of completion settings, told in variables.
type completionError struct{ err error }

func (e *completionError) Error() string {
	var lines []string
	for _, err := range unjoin(e.err) {
		ce, ok := errors.AsType[*store.CompletionError](err)
		if name := completionVar[fieldOf(ce, ok)]; name != "" {
			lines = append(lines, name+": "+err.Error())
			continue
		}
		lines = append(lines, err.Error())
	}
	return strings.Join(lines, "\n") + "\n(where a variable is unset, the value saved on the admin page counts)"
}

func (e *completionError) Unwrap() error { return e.err }

func fieldOf(ce *store.CompletionError, ok bool) string {
	if !ok {
		return ""
	}
	return ce.Field
}

// unjoin splits an errors.Join result into its errors.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
