package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/service"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
)

// The seeded demo account: what a recruiter would have set up in Lever and the admin page.
const (
	DemoAccount      = "demo"
	DemoTriggerStage = "stage-assessment"
	DemoPerformAs    = "user-recruiter"
	// DemoPerformAsEmail is the demo user's email, for ASSESSBRIDGE_PERFORM_AS.
	DemoPerformAsEmail = "riley@demo.example"
)

// DemoStages are the demo account's Lever stages, in pipeline order.
var DemoStages = []lever.Stage{
	{ID: "stage-applied", Text: "New applicant"},
	{ID: "stage-phone", Text: "Phone screen"},
	{ID: DemoTriggerStage, Text: "Assessment"},
	{ID: "stage-onsite", Text: "On-site"},
}

// DemoAssessments is the platform's catalogue; the first is mapped to the backend posting, the
// second named by a tag on the data posting.
var DemoAssessments = []store.Assessment{{ID: "go-basics", Title: "Go Basics"}, {ID: "sql-basics", Title: "SQL Basics"}}

// DemoCandidates wait in the phone-screen stage for someone to move them on (make run).
var DemoCandidates = []leversim.Opportunity{
	{ID: "cand-ada", Name: "Ada Lovelace", Emails: []string{"ada@candidates.example"}, StageID: "stage-phone", PostingID: "post-backend"},
	{ID: "cand-grace", Name: "Grace Hopper", Emails: []string{"grace@candidates.example"}, StageID: "stage-phone", PostingID: "post-data"},
	{ID: "cand-alan", Name: "Alan Turing", Emails: []string{"alan@candidates.example"}, Tags: []string{"Go Basics"}, StageID: "stage-phone"},
}

// Sims are the running simulators; Lever or Platform is nil when that side is real.
type Sims struct {
	Lever       *leversim.Server
	LeverURL    string
	Platform    *platformsim.Server
	PlatformURL string

	webhookToken string
	leverToken   string   // the demo account's bearer token in the simulated Lever
	envKey       string   // the environment account's API key, when there is one
	envTokens    []string // signature tokens of the environment account's "hand-made" webhooks
	servers      []*http.Server
}

// StartSims starts the chosen simulators alone, without Temporal or a store (dev --sims-only):
// they deliver webhooks and callbacks to cfg's public URL, where a starter may run. The
// environment account (ASSESSBRIDGE_LEVER_API_KEY, _WEBHOOK_TOKENS) and the platform's key and
// callback secret, when set, are the ones a separate worker and starter use too. It returns the
// config as the simulators set it.
func StartSims(ctx context.Context, opts Options) (*Sims, config.Config, error) {
	cfg := opts.Config
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + cfg.HTTPAddr
	}
	s, err := startSims(ctx, opts, &cfg, nil)
	if err != nil {
		return nil, cfg, err
	}
	s.connectWebhooks(cfg)
	return s, cfg, nil
}

// startSims starts the chosen simulators; each stands in for its side, replacing what the config
// says about it, so the start-up summary's "simulated" is always true. Without a store (sims
// only) the platform keeps the configured key and secret, so separate processes can share them.
func startSims(ctx context.Context, opts Options, cfg *config.Config, st *store.Store) (*Sims, error) {
	addrs := opts.SimAddrs
	for i, a := range addrs {
		if a == "" {
			addrs[i] = "127.0.0.1:0"
		}
	}
	s := &Sims{}
	err := func() error {
		if opts.simPlatform() {
			if err := s.startPlatform(addrs[1], cfg, st == nil); err != nil {
				return err
			}
		}
		if opts.simLever() {
			return s.startLever(ctx, addrs[0], cfg, st)
		}
		return nil
	}()
	if err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Sims) startPlatform(addr string, cfg *config.Config, keepSecrets bool) error {
	if !keepSecrets || cfg.PlatformAPIKey == "" {
		cfg.PlatformAPIKey = randomHex()
	}
	if !keepSecrets || cfg.PlatformCallbackSecret == "" {
		cfg.PlatformCallbackSecret = randomHex()
	}
	s.Platform = platformsim.New(platformsim.Options{APIKey: cfg.PlatformAPIKey, CallbackURL: cfg.CallbackURL(), CallbackSecret: cfg.PlatformCallbackSecret})
	var err error
	if s.PlatformURL, err = s.serve(addr, "platform simulator", "--sim-platform-addr", s.Platform); err != nil {
		return err
	}
	cfg.PlatformURL = s.PlatformURL
	for _, a := range DemoAssessments {
		s.Platform.AddAssessment(a.ID, a.Title)
	}
	return nil
}

// startLever runs the simulated Lever with the demo account and, when the environment
// configures an account, that account too: its API key works, it has the demo's stages, users
// and candidates, and its webhooks are made "by hand" with the environment's signature tokens.
func (s *Sims) startLever(ctx context.Context, addr string, cfg *config.Config, st *store.Store) error {
	leverToken := randomHex()
	s.leverToken = leverToken
	s.webhookToken = randomHex()
	// The simulated Lever also plays Lever's OAuth server, so the admin page's Connect works.
	oauthID, oauthSecret := "assessbridge-dev", randomHex()
	s.Lever = leversim.New(leversim.Options{OAuthClientID: oauthID, OAuthClientSecret: oauthSecret})
	var err error
	if s.LeverURL, err = s.serve(addr, "Lever simulator", "--sim-lever-addr", s.Lever); err != nil {
		return err
	}
	cfg.LeverClientID, cfg.LeverClientSecret = oauthID, oauthSecret
	cfg.LeverAuthURL, cfg.LeverTokenURL = s.LeverURL+"/authorize", s.LeverURL+"/oauth/token"
	cfg.LeverAudience = leversim.DefaultAudience
	cfg.LeverAPIURL = s.LeverURL

	s.Lever.AddAccount(DemoAccount, leverToken)
	s.seedLever(DemoAccount)
	if cfg.EnvAccount() {
		s.Lever.AddAccount(config.EnvAccountID, cfg.LeverAPIKey)
		s.seedLever(config.EnvAccountID)
		s.envKey, s.envTokens = cfg.LeverAPIKey, cfg.LeverWebhookTokens
	}
	if st == nil {
		return nil // sims only: no store to seed
	}

	// The store keeps what earlier runs stored; the simulator's fresh credentials replace the old.
	acct := store.Account{ID: DemoAccount, Name: "Demo (simulated Lever)", Status: store.StatusConnected,
		LeverBaseURL: s.LeverURL, AccessToken: leverToken, WebhookTokens: []string{s.webhookToken},
		TriggerStages: []string{DemoTriggerStage}, PerformAs: DemoPerformAs}
	if old, err := st.Account(ctx, DemoAccount); err == nil {
		acct.CreatedAt = old.CreatedAt
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("read demo account: %w", err)
	}
	seed := []error{st.PutAccount(ctx, acct)}
	for _, a := range DemoAssessments {
		seed = append(seed, st.PutAssessment(ctx, DemoAccount, a))
	}
	seed = append(seed, st.MapPosting(ctx, DemoAccount, "post-backend", DemoAssessments[0].ID))
	if err := errors.Join(seed...); err != nil {
		return fmt.Errorf("seed demo account: %w", err)
	}
	return nil
}

// seedLever gives a simulated Lever account the demo's user, stages, postings and candidates.
func (s *Sims) seedLever(accountID string) {
	l := s.Lever
	l.AddUser(accountID, leversim.User{ID: DemoPerformAs, Name: "Riley Recruiter", Email: DemoPerformAsEmail})
	for _, stg := range DemoStages {
		l.AddStage(accountID, stg.ID, stg.Text)
	}
	l.AddPosting(accountID, leversim.Posting{ID: "post-backend", Text: "Backend Engineer"})
	l.AddPosting(accountID, leversim.Posting{ID: "post-data", Text: "Data Analyst", Tags: []string{"assessment:sql-basics"}})
	for _, c := range DemoCandidates {
		l.AddOpportunity(accountID, c)
	}
}

// webhookEvents are the events assessbridge acts on, as an admin subscribes them in Lever.
var webhookEvents = []string{lever.EventStageChange, lever.EventArchiveChange, lever.EventHired, lever.EventDeleted}

// connectWebhooks points the simulated Lever's webhooks at the running front door. The
// environment account's are signed with its tokens in turn, one Lever webhook per event, the
// way an admin who made each by hand lists each one's token.
func (s *Sims) connectWebhooks(cfg config.Config) {
	if s.Lever == nil {
		return
	}
	for i, ev := range webhookEvents {
		s.Lever.AddWebhook(DemoAccount, ev, cfg.WebhookURL(DemoAccount), s.webhookToken)
		if len(s.envTokens) > 0 {
			s.Lever.AddWebhook(config.EnvAccountID, ev, cfg.WebhookURL(config.EnvAccountID), s.envTokens[i%len(s.envTokens)])
		}
	}
}

// serve serves a simulator on addr, with the read-only view of both simulators beside it.
func (s *Sims) serve(addr, what, flag string, h http.Handler) (string, error) {
	ln, err := service.Listen(addr, what, flag)
	if err != nil {
		return "", err
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+StatePath, s.stateHandler())
	mux.Handle("/", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	s.servers = append(s.servers, srv)
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Stop stops the simulators; what they held is gone.
func (s *Sims) Stop() {
	for _, srv := range s.servers {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = srv.Shutdown(ctx)
		cancel()
	}
	s.servers = nil
}

func randomHex() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
