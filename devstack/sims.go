package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
)

// The seeded demo account: what a recruiter would have set up in Lever and the admin page.
const (
	DemoAccount      = "demo"
	DemoTriggerStage = "stage-assessment"
	DemoPerformAs    = "user-recruiter"
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

// Sims are the running simulators.
type Sims struct {
	Lever       *leversim.Server
	LeverURL    string
	Platform    *platformsim.Server
	PlatformURL string

	webhookToken string
	servers      []*http.Server
}

func startSims(ctx context.Context, addrs [2]string, cfg *config.Config, st *store.Store) (*Sims, error) {
	for i, a := range addrs {
		if a == "" {
			addrs[i] = "127.0.0.1:0"
		}
	}
	leverToken, platformKey, callbackSecret, webhookToken := randomHex(), randomHex(), randomHex(), randomHex()
	// The simulated Lever also plays Lever's OAuth server, so the admin page's Connect works.
	oauthID, oauthSecret := "assessbridge-dev", randomHex()
	s := &Sims{Lever: leversim.New(leversim.Options{OAuthClientID: oauthID, OAuthClientSecret: oauthSecret}), webhookToken: webhookToken}
	var err error
	if s.LeverURL, err = s.serve(addrs[0], "lever simulator", s.Lever); err != nil {
		return nil, err
	}
	if cfg.LeverClientID == "" {
		cfg.LeverClientID, cfg.LeverClientSecret = oauthID, oauthSecret
		cfg.LeverAuthURL, cfg.LeverTokenURL = s.LeverURL+"/authorize", s.LeverURL+"/oauth/token"
		cfg.LeverAudience = leversim.DefaultAudience
		cfg.LeverAPIURL = s.LeverURL
	}
	if cfg.PlatformURL == "" {
		cfg.PlatformAPIKey, cfg.PlatformCallbackSecret = platformKey, callbackSecret
		s.Platform = platformsim.New(platformsim.Options{APIKey: platformKey, CallbackURL: cfg.CallbackURL(), CallbackSecret: callbackSecret})
		if s.PlatformURL, err = s.serve(addrs[1], "platform simulator", s.Platform); err != nil {
			s.stop()
			return nil, err
		}
		cfg.PlatformURL = s.PlatformURL
		for _, a := range DemoAssessments {
			s.Platform.AddAssessment(a.ID, a.Title)
		}
	}

	l := s.Lever
	l.AddAccount(DemoAccount, leverToken)
	l.AddUser(DemoAccount, leversim.User{ID: DemoPerformAs, Name: "Riley Recruiter", Email: "riley@demo.example"})
	for _, stg := range DemoStages {
		l.AddStage(DemoAccount, stg.ID, stg.Text)
	}
	l.AddPosting(DemoAccount, leversim.Posting{ID: "post-backend", Text: "Backend Engineer"})
	l.AddPosting(DemoAccount, leversim.Posting{ID: "post-data", Text: "Data Analyst", Tags: []string{"assessment:sql-basics"}})
	for _, c := range DemoCandidates {
		l.AddOpportunity(DemoAccount, c)
	}

	// The store keeps what earlier runs stored; the simulator's fresh credentials replace the old.
	acct := store.Account{ID: DemoAccount, Name: "Demo (simulated Lever)", Status: store.StatusConnected,
		LeverBaseURL: s.LeverURL, AccessToken: leverToken, WebhookTokens: []string{webhookToken},
		TriggerStages: []string{DemoTriggerStage}, PerformAs: DemoPerformAs}
	if old, err := st.Account(ctx, DemoAccount); err == nil {
		acct.CreatedAt = old.CreatedAt
	} else if !errors.Is(err, store.ErrNotFound) {
		s.stop()
		return nil, fmt.Errorf("read demo account: %w", err)
	}
	seed := []error{st.PutAccount(ctx, acct)}
	for _, a := range DemoAssessments {
		seed = append(seed, st.PutAssessment(ctx, DemoAccount, a))
	}
	seed = append(seed, st.MapPosting(ctx, DemoAccount, "post-backend", DemoAssessments[0].ID))
	if err := errors.Join(seed...); err != nil {
		s.stop()
		return nil, fmt.Errorf("seed demo account: %w", err)
	}
	return s, nil
}

// connectWebhooks points the simulated Lever's webhooks at the running front door.
func (s *Sims) connectWebhooks(cfg config.Config) {
	for _, ev := range []string{lever.EventStageChange, lever.EventArchiveChange, lever.EventHired, lever.EventDeleted} {
		s.Lever.AddWebhook(DemoAccount, ev, cfg.WebhookURL(DemoAccount), s.webhookToken)
	}
}

func (s *Sims) serve(addr, what string, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("%s: cannot listen on %s (is another process using it?): %w", what, addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	s.servers = append(s.servers, srv)
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

func (s *Sims) stop() {
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
