// Package journeytest runs whole candidate journeys for tests that prove a deployment: the worker
// and the front door wired exactly as the worker and starter commands wire them (package service,
// settings through package config), against the Lever and platform simulators over real HTTP, on
// whatever Temporal server the test brings (temporaltest, or one on PostgreSQL).
package journeytest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/metrics"
	"github.com/assessbridge/assessbridge/service"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// The simulated installation's fixed names and secrets.
const (
	TriggerStage   = "stage-assessment"
	OtherStage     = "stage-phone-screen"
	AssessmentID   = "as-go"
	AssessmentName = "Go Test"
	PerformAs      = "user-recruiter"

	leverToken     = "lever-access-token-7f3a9c"
	webhookSecret  = "lever-webhook-signature-token-5d81e2"
	platformKey    = "platform-api-key-c04b6e"
	callbackSecret = "platform-callback-secret-9e27f1"
)

// Options say where the stack's Temporal server is and what watches it.
type Options struct {
	TemporalAddress string // host:port of the frontend
	Namespace       string // default "default"
	// StoreDSN is the store; default a SQLite file in the test's temporary directory.
	StoreDSN string
	// Logger receives every log line of the worker, the SDK and the front door; default none.
	Logger *zap.Logger
	// Metrics records what a metrics-enabled worker and starter record; nil records nothing.
	Metrics *metrics.Metrics
	// HistoryKeys encrypts workflow payloads, as production's ASSESSBRIDGE_HISTORY_KEYS does.
	HistoryKeys bool
	// Events are the webhooks Lever sends; default stage change, archive, hire and deletion.
	Events []string
}

// Stack is one assessbridge installation: a worker and a front door on one task queue of its
// own, the simulators, and a Temporal client dialled as the commands dial it.
type Stack struct {
	// Account is the connected Lever account, "acme-" and a random suffix: stacks sharing a
	// Temporal server (also a test run with -count=2) never meet each other's workflows.
	Account  string
	Config   config.Config
	Temporal client.Client
	Store    *store.Store
	Lever    *leversim.Server
	Platform *platformsim.Server
	WebURL   string
}

// Start brings up a stack; everything stops when the test ends.
func Start(t testing.TB, o Options) *Stack {
	t.Helper()
	ctx := context.Background()
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	if o.StoreDSN == "" {
		o.StoreDSN = filepath.Join(t.TempDir(), "assessbridge.db")
	}
	if o.Events == nil {
		o.Events = []string{lever.EventStageChange, lever.EventArchiveChange, lever.EventHired, lever.EventDeleted}
	}
	key := make([]byte, 32+32+3)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	key, history, account := key[:32], key[32:64], "acme-"+hex.EncodeToString(key[64:])

	ls := leversim.New(leversim.Options{})
	leverSrv := httptest.NewServer(ls)
	t.Cleanup(leverSrv.Close)
	webSrv := httptest.NewUnstartedServer(nil)
	webURL := "http://" + webSrv.Listener.Addr().String()
	ps := platformsim.New(platformsim.Options{APIKey: platformKey, CallbackURL: webURL + "/callbacks/assessment", CallbackSecret: callbackSecret})
	platformSrv := httptest.NewServer(ps)
	t.Cleanup(platformSrv.Close)

	// The settings a deployment gives in its environment (docker-compose.yml).
	env := map[string]string{
		"ASSESSBRIDGE_PUBLIC_URL":               webURL,
		"ASSESSBRIDGE_TEMPORAL_ADDRESS":         o.TemporalAddress,
		"ASSESSBRIDGE_TEMPORAL_NAMESPACE":       o.Namespace,
		"ASSESSBRIDGE_TASK_QUEUE":               "journey-" + t.Name(),
		"ASSESSBRIDGE_STORE_DSN":                o.StoreDSN,
		"ASSESSBRIDGE_SECRET_KEY":               base64.StdEncoding.EncodeToString(key),
		"ASSESSBRIDGE_LEVER_API_URL":            leverSrv.URL,
		"ASSESSBRIDGE_PLATFORM_URL":             platformSrv.URL,
		"ASSESSBRIDGE_PLATFORM_API_KEY":         platformKey,
		"ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET": callbackSecret,
	}
	if o.HistoryKeys {
		env["ASSESSBRIDGE_HISTORY_KEYS"] = "k1:" + base64.StdEncoding.EncodeToString(history)
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, check := range []func() error{cfg.CheckWorker, cfg.CheckStarter} {
		if err := check(); err != nil {
			t.Fatal(err)
		}
	}

	st, err := service.OpenStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	mustDo(t, st.PutAccount(ctx, store.Account{
		ID: account, Name: "Acme", Status: store.StatusConnected, AccessToken: leverToken,
		WebhookTokens: []string{webhookSecret}, TriggerStages: []string{TriggerStage}, PerformAs: PerformAs,
	}))
	mustDo(t, st.PutAssessment(ctx, account, store.Assessment{ID: AssessmentID, Title: AssessmentName}))

	ls.AddAccount(account, leverToken)
	ls.AddUser(account, leversim.User{ID: PerformAs, Name: "Rita Recruiter", Email: "rita@acme.example"})
	ls.AddStage(account, OtherStage, "Phone screen")
	ls.AddStage(account, TriggerStage, "Assessment")
	ps.AddAssessment(AssessmentID, AssessmentName)

	with := service.WithMetrics(o.Metrics)
	tc, err := service.DialTemporal(ctx, cfg, o.Logger, with)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	acts, err := service.NewActivities(cfg, st, tc, with)
	if err != nil {
		t.Fatal(err)
	}
	w, err := service.NewWorker(tc, cfg, acts, st, with)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(ctx); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	t.Cleanup(w.Stop)
	h, err := service.NewHandler(tc, st, cfg, o.Logger, with)
	if err != nil {
		t.Fatal(err)
	}
	webSrv.Config.Handler = h
	webSrv.Start()
	t.Cleanup(webSrv.Close)
	for _, ev := range o.Events {
		ls.AddWebhook(account, ev, cfg.WebhookURL(account), webhookSecret)
	}
	return &Stack{Account: account, Config: cfg, Temporal: tc, Store: st, Lever: ls, Platform: ps, WebURL: webURL}
}

// Secrets are every secret the stack holds, for tests that look for leaks.
func (s *Stack) Secrets() map[string]string {
	return map[string]string{
		"lever access token":       leverToken,
		"lever webhook token":      webhookSecret,
		"platform api key":         platformKey,
		"platform callback secret": callbackSecret,
		"secret key":               base64.StdEncoding.EncodeToString(s.Config.SecretKey),
	}
}

// Candidate is one person applying.
type Candidate struct {
	OpportunityID, Name, Email string
	Score, MaxScore            float64
}

// Journey takes c from the trigger stage (delivered twice, as Lever may) through the
// invitation, start (delivered twice) and submission, and returns the workflow's result.
func (s *Stack) Journey(t testing.TB, c Candidate) workflows.Result {
	t.Helper()
	return s.Finish(t, c, s.Begin(t, c))
}

// Begin moves c into the trigger stage (delivered twice, as Lever may) and returns the invitation
// the platform got: the journey then waits for the candidate.
func (s *Stack) Begin(t testing.TB, c Candidate) platformsim.Invitation {
	t.Helper()
	ctx := context.Background()
	s.Lever.AddOpportunity(s.Account, leversim.Opportunity{
		ID: c.OpportunityID, Name: c.Name, Emails: []string{c.Email},
		Tags: []string{AssessmentName}, StageID: OtherStage,
	})
	mustDo(t, s.Lever.MoveToStage(ctx, s.Account, c.OpportunityID, TriggerStage))
	mustDo(t, s.Lever.MoveToStage(ctx, s.Account, c.OpportunityID, TriggerStage))
	return s.Invitation(t, c.OpportunityID)
}

// Finish has the candidate start (the callback delivered twice) and submit, and returns the
// workflow's result.
func (s *Stack) Finish(t testing.TB, c Candidate, inv platformsim.Invitation) workflows.Result {
	t.Helper()
	ctx := context.Background()
	mustDo(t, s.Platform.Start(ctx, inv.ID))
	mustDo(t, s.Platform.Start(ctx, inv.ID))
	mustDo(t, s.Platform.Submit(ctx, inv.ID, assessment.Result{
		Score: &c.Score, MaxScore: &c.MaxScore, ReportURL: "https://platform.example/report/" + c.OpportunityID,
		Proctoring: assessment.Proctoring{Summary: "webcam on throughout"},
	}))
	res, err := s.Result(t, c.OpportunityID)
	if err != nil {
		t.Fatalf("journey of %s: %v", c.OpportunityID, err)
	}
	return res
}

// Invitation waits for the platform to have the opportunity's invitation.
func (s *Stack) Invitation(t testing.TB, opportunityID string) platformsim.Invitation {
	t.Helper()
	ref := workflows.WorkflowID(s.Account, opportunityID)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if inv, ok := s.Platform.InvitationByReference(ref); ok {
			return inv
		}
		if time.Now().After(deadline) {
			t.Fatalf("no invitation for %s after 30 s", ref)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Result waits for the opportunity's workflow to end.
func (s *Stack) Result(t testing.TB, opportunityID string) (workflows.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var res workflows.Result
	err := s.Temporal.GetWorkflow(ctx, workflows.WorkflowID(s.Account, opportunityID), "").Get(ctx, &res)
	return res, err
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
