package devstack_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/devstack"
	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/workflows"
)

// finish plays the candidate on the platform and waits for the journey to complete.
func finish(t *testing.T, s *devstack.Stack, p *platformsim.Server, account, opportunityID string) {
	t.Helper()
	ctx := context.Background()
	id := workflows.WorkflowID(account, opportunityID)
	var inv platformsim.Invitation
	waitFor(t, func() bool {
		var ok bool
		inv, ok = p.InvitationByReference(id)
		return ok
	})
	score, max := 30.0, 40.0
	if err := p.Start(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	if err := p.Submit(ctx, inv.ID, assessment.Result{Score: &score, MaxScore: &max, ReportURL: "https://r/" + inv.ID}); err != nil {
		t.Fatal(err)
	}
	var res workflows.Result
	if err := s.Temporal.GetWorkflow(ctx, id, "").Get(ctx, &res); err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	if res.Step != workflows.StepCompleted {
		t.Errorf("%s: got step %q, want %q", id, res.Step, workflows.StepCompleted)
	}
}

func wantLines(t *testing.T, sides []string, want ...string) {
	t.Helper()
	all := strings.Join(sides, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("start-up summary %q: want it to say %q", all, w)
		}
	}
}

// TestRealLeverSimulatedPlatform is `dev --sim-platform` for a company's own Lever account: the
// API key, webhook tokens, trigger stage and perform_as come from the environment, the webhook
// is made by hand in Lever, and only the platform is simulated.
func TestRealLeverSimulatedPlatform(t *testing.T) {
	ctx := context.Background()
	real := leversim.New(leversim.Options{})
	srv := httptest.NewServer(real)
	defer srv.Close()
	real.AddAccount(config.EnvAccountID, "company-api-key")
	real.AddUser(config.EnvAccountID, leversim.User{ID: "u-7", Name: "Rita", Email: "rita@company.example"})
	real.AddStage(config.EnvAccountID, "3f1e-phone", "Phone screen")
	real.AddStage(config.EnvAccountID, "9a2b-takehome", "Take-home assessment")
	real.AddOpportunity(config.EnvAccountID, leversim.Opportunity{ID: "opp-1", Name: "Lin", Emails: []string{"lin@candidates.example"},
		Tags: []string{"Go Basics"}, StageID: "3f1e-phone"})

	cfg := testConfig(t, t.TempDir())
	cfg.PublicURL = "http://" + cfg.HTTPAddr
	cfg.LeverAPIURL, cfg.LeverAPIKey = srv.URL, "company-api-key"
	cfg.LeverWebhookTokens = []string{"token-one", "token-two"}
	cfg.TriggerStages, cfg.PerformAs = []string{"take-home assessment"}, "rita@company.example"
	s, err := devstack.Start(ctx, devstack.Options{Config: cfg, SimPlatform: true})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	defer s.Stop()
	if s.LeverSimulated() || !s.PlatformSimulated() {
		t.Fatalf("sides: got Lever simulated %v, platform simulated %v; want false, true", s.LeverSimulated(), s.PlatformSimulated())
	}
	hook := s.Config.WebhookURL(config.EnvAccountID)
	wantLines(t, s.Sides(ctx), "Lever:               REAL at "+srv.URL, "assessment platform: SIMULATED",
		"webhook URL to paste into Lever (Settings → Integrations and API → Webhooks): "+hook, "HTTPS")

	real.AddWebhook(config.EnvAccountID, lever.EventStageChange, hook, "token-two")
	if err := real.MoveToStage(ctx, config.EnvAccountID, "opp-1", "9a2b-takehome"); err != nil {
		t.Fatalf("webhook: %v", err)
	}
	finish(t, s, s.Sims.Platform, config.EnvAccountID, "opp-1")
	snap, _ := real.Snapshot(config.EnvAccountID, "opp-1")
	if !slices.Contains(snap.Tags, "Go Basics - Submitted") || len(snap.Feedback) != 1 || snap.Feedback[0].PerformAs != "u-7" {
		t.Errorf("lever: got tags %q and %d feedback forms, want Go Basics - Submitted and one form as u-7", snap.Tags, len(snap.Feedback))
	}
}

// TestSimulatedLeverRealPlatform is `dev --sim-lever` against a platform configured in the
// environment: the seeded demo account works as before, and the environment's account is served
// by the simulated Lever too, with its key and webhooks "made by hand" with its tokens.
func TestSimulatedLeverRealPlatform(t *testing.T) {
	ctx := context.Background()
	real := platformsim.New(platformsim.Options{APIKey: "platform-key", CallbackSecret: "callback-secret"})
	srv := httptest.NewServer(real)
	defer srv.Close()
	for _, a := range devstack.DemoAssessments {
		real.AddAssessment(a.ID, a.Title)
	}

	cfg := testConfig(t, t.TempDir())
	cfg.PublicURL = "http://" + cfg.HTTPAddr
	cfg.PlatformURL, cfg.PlatformAPIKey, cfg.PlatformCallbackSecret = srv.URL, "platform-key", "callback-secret"
	cfg.LeverAPIKey, cfg.LeverWebhookTokens = "any-key", []string{"token-one", "token-two"}
	cfg.TriggerStages, cfg.PerformAs = []string{"Assessment"}, devstack.DemoPerformAsEmail
	s, err := devstack.Start(ctx, devstack.Options{Config: cfg, SimLever: true})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	defer s.Stop()
	if !s.LeverSimulated() || s.PlatformSimulated() {
		t.Fatalf("sides: got Lever simulated %v, platform simulated %v; want true, false", s.LeverSimulated(), s.PlatformSimulated())
	}
	wantLines(t, s.Sides(ctx), "Lever:               SIMULATED at "+s.Sims.LeverURL, "assessment platform: REAL at "+srv.URL)

	for _, account := range []string{devstack.DemoAccount, config.EnvAccountID} {
		if err := s.Sims.Lever.MoveToStage(ctx, account, "cand-alan", devstack.DemoTriggerStage); err != nil {
			t.Fatalf("%s: webhook: %v", account, err)
		}
		finish(t, s, real, account, "cand-alan")
	}
	// Every event has its webhook, the environment's tokens taken in turn.
	var tokens []string
	for _, h := range s.Sims.Lever.Webhooks(config.EnvAccountID) {
		tokens = append(tokens, h.SignatureToken)
	}
	if want := []string{"token-one", "token-two", "token-one", "token-two"}; !slices.Equal(tokens, want) {
		t.Errorf("webhooks of the environment account: got tokens %q, want %q", tokens, want)
	}
}
