// Package activities holds the side effects of the CandidateAssessment workflow: reads and writes
// against Lever, calls to the assessment platform, and store look-ups. Every activity is
// idempotent, so Temporal may retry any of them after a crash or a timeout.
package activities

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/assessbridge/assessbridge/accounts"
	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// LeverAPI is the part of the Lever client the activities use.
type LeverAPI interface {
	GetOpportunity(ctx context.Context, id string) (*lever.Opportunity, error)
	GetPosting(ctx context.Context, id string) (*lever.Posting, error)
	AddTags(ctx context.Context, opportunityID string, tags []string, performAs string) error
	RemoveTags(ctx context.Context, opportunityID string, tags []string, performAs string) error
	AddNote(ctx context.Context, opportunityID string, n lever.NewNote, performAs string) (string, error)
	ListNotes(ctx context.Context, opportunityID string) ([]lever.Note, error)
	ListFeedbackTemplates(ctx context.Context) ([]lever.FeedbackTemplate, error)
	CreateFeedbackTemplate(ctx context.Context, t lever.NewFeedbackTemplate, performAs string) (*lever.FeedbackTemplate, error)
	AddFeedback(ctx context.Context, opportunityID string, f lever.NewFeedback, performAs string) (string, error)
	ListFeedback(ctx context.Context, opportunityID string) ([]lever.Feedback, error)
	ListStages(ctx context.Context) ([]lever.Stage, error)
	ChangeStage(ctx context.Context, opportunityID, stageID, performAs string) error
	Archive(ctx context.Context, opportunityID, reasonID, performAs string) error
	UploadFile(ctx context.Context, opportunityID string, f lever.NewFile, performAs string) (*lever.File, error)
	ListFiles(ctx context.Context, opportunityID string) ([]lever.File, error)
}

// LeverClients hands out the Lever client of a connected account.
type LeverClients interface {
	Lever(ctx context.Context, accountID string) (LeverAPI, error)
}

// Store is the part of the store the activities read.
type Store interface {
	Account(ctx context.Context, id string) (store.Account, error)
	Assessments(ctx context.Context, accountID string) ([]store.Assessment, error)
	AssessmentForPosting(ctx context.Context, accountID, postingID string) (string, error)
	RatingBands(ctx context.Context, accountID string) ([]store.Band, error)
	PostingSettings(ctx context.Context, accountID, postingID string) (store.PostingSettings, error)
	SetStatus(ctx context.Context, accountID, status string) error
	// AddMissingScope records a scope Lever refused a call for, for the admin page.
	AddMissingScope(ctx context.Context, accountID, scope string) error
}

// Activities is registered with the worker; the workflow calls its methods through a nil
// *Activities, so method names are the activity names.
type Activities struct {
	lever       LeverClients
	platform    assessment.Platform
	store       Store
	callbackURL string
	cache       *accountCache
	temporal    client.Client // for purges; nil disables them
	namespace   string
	adminBase   string
}

// Config holds what the activities need besides their dependencies.
type Config struct {
	// CallbackURL is where the platform sends started/submitted callbacks (our /callbacks/assessment).
	CallbackURL string
	// CacheTTL bounds how long per-account look-ups (postings, the feedback template) are reused.
	CacheTTL time.Duration
	// Temporal and Namespace let the purge activity delete a candidate's workflow history.
	Temporal  client.Client
	Namespace string
	// AdminURL is the admin page's base (".../admin"), linked from the note that tells a
	// recruiter no assessment is set; "" when there is no admin page.
	AdminURL string
}

// New builds the activities; every dependency is required.
func New(lc LeverClients, p assessment.Platform, s Store, cfg Config) (*Activities, error) {
	switch {
	case lc == nil:
		return nil, errors.New("activities: lever clients required")
	case p == nil:
		return nil, errors.New("activities: assessment platform required")
	case s == nil:
		return nil, errors.New("activities: store required")
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = 10 * time.Minute
	}
	return &Activities{lever: lc, platform: p, store: s, callbackURL: cfg.CallbackURL, cache: newAccountCache(cfg.CacheTTL),
		temporal: cfg.Temporal, namespace: cfg.Namespace, adminBase: strings.TrimRight(cfg.AdminURL, "/")}, nil
}

// adminURL is the admin page of an account, "" without an admin page.
func (a *Activities) adminURL(accountID string) string {
	if a.adminBase == "" {
		return ""
	}
	return a.adminBase + "/accounts/" + url.PathEscape(accountID)
}

// LeverClientsFunc adapts a function to LeverClients.
type LeverClientsFunc func(ctx context.Context, accountID string) (LeverAPI, error)

// Lever calls f.
func (f LeverClientsFunc) Lever(ctx context.Context, accountID string) (LeverAPI, error) {
	return f(ctx, accountID)
}

// AccountClients serves the activities' Lever clients from the connected accounts.
func AccountClients(c *accounts.Clients) LeverClients {
	return LeverClientsFunc(func(ctx context.Context, accountID string) (LeverAPI, error) {
		lc, err := c.Client(ctx, accountID)
		if err != nil {
			return nil, err
		}
		return lc, nil
	})
}
