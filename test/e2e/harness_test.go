package e2e

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/temporal"
	"go.temporal.io/server/temporaltest"
	"go.uber.org/zap"
	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/accounts"
	"github.com/assessbridge/assessbridge/activities"
	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
	"github.com/assessbridge/assessbridge/leverqueue"
	"github.com/assessbridge/assessbridge/namespace"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/web"
	"github.com/assessbridge/assessbridge/workflows"
)

const (
	account        = "acme"
	leverToken     = "lever-access-token-acme"
	webhookSecret  = "lever-webhook-signature-token"
	platformKey    = "platform-api-key"
	callbackSecret = "platform-callback-secret"
	triggerStage   = "stage-assessment"
	otherStage     = "stage-phone-screen"
	performAs      = "user-recruiter"
	assessmentID   = "as-go"
	assessmentName = "Go Test"
)

// stack is one whole assessbridge installation against the simulators.
type stack struct {
	temporal client.Client
	store    *store.Store
	lever    *leversim.Server
	platform *platformsim.Server
	webURL   string
	oauth    leverauth.Config // enabled only for stacks made with withOAuth
	// deliveries holds every Lever delivery the front door received, as an attacker on the
	// path would have seen it.
	deliveries deliveryLog
}

type stackOption func(*leversim.Options)

// withOAuth turns on the simulator's OAuth; the account is then connected through it.
func withOAuth(o *leversim.Options) {
	o.OAuthClientID, o.OAuthClientSecret = "e2e-client", "e2e-client-secret"
}

// shared Temporal server per package: starting one costs about a second.
var tsrv *temporaltest.TestServer

func newStack(t *testing.T, opts ...stackOption) *stack {
	t.Helper()
	ctx := context.Background()
	if tsrv == nil {
		// Deleting a just-closed workflow waits for the transfer queue's ack level, which the
		// server only updates every 30 s by default; the purge test would wait that long.
		tsrv = temporaltest.NewServer(temporaltest.WithBaseServerOptions(temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): []dynamicconfig.ConstrainedValue{{Value: true}},
			dynamicconfig.TransferProcessorUpdateAckInterval.Key():      []dynamicconfig.ConstrainedValue{{Value: 500 * time.Millisecond}},
		})))
		c := tsrv.GetDefaultClient()
		if err := namespace.RegisterSearchAttributes(ctx, c, tsrv.GetDefaultNamespace()); err != nil {
			t.Fatalf("register search attributes: %v", err)
		}
	}
	tc := tsrv.GetDefaultClient()

	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "assessbridge.db"), key)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })

	// Every write is held briefly so that two writes to one candidate sent at once overlap for
	// sure; no journey of this suite may cause one (checked once everything has stopped).
	simOpts := leversim.Options{WriteHold: 20 * time.Millisecond}
	for _, o := range opts {
		o(&simOpts)
	}
	ls := leversim.New(simOpts)
	t.Cleanup(func() {
		for _, o := range ls.Overlaps() {
			t.Errorf("overlapping writes to opportunity %s: %s while %s was in flight", o.Opportunity, o.Routes[1], o.Routes[0])
		}
	})
	leverSrv := httptest.NewServer(ls)
	t.Cleanup(leverSrv.Close)
	ls.AddAccount(account, leverToken)
	ls.AddUser(account, leversim.User{ID: performAs, Name: "Rita Recruiter", Email: "rita@acme.example"})
	ls.AddStage(account, otherStage, "Phone screen")
	ls.AddStage(account, triggerStage, "Assessment")

	s := &stack{temporal: tc, store: st, lever: ls}
	webSrv := httptest.NewUnstartedServer(nil)
	s.webURL = "http://" + webSrv.Listener.Addr().String()

	ps := platformsim.New(platformsim.Options{APIKey: platformKey, CallbackURL: s.webURL + "/callbacks/assessment", CallbackSecret: callbackSecret})
	platformSrv := httptest.NewServer(ps)
	t.Cleanup(platformSrv.Close)
	ps.AddAssessment(assessmentID, assessmentName)
	s.platform = ps

	mustDo(t, st.PutAccount(ctx, store.Account{
		ID: account, Name: "Acme", Status: "connected", LeverBaseURL: leverSrv.URL,
		AccessToken: leverToken, WebhookTokens: []string{webhookSecret},
		TriggerStages: []string{triggerStage}, PerformAs: performAs,
	}))
	mustDo(t, st.PutAssessment(ctx, account, store.Assessment{ID: assessmentID, Title: assessmentName}))

	pc, err := assessment.NewClient(platformSrv.URL, platformKey)
	if err != nil {
		t.Fatal(err)
	}
	// Each test gets its own task queue, so workers of other tests never take its tasks.
	queue := "e2e-" + t.Name()
	ac := accounts.Config{}
	if simOpts.OAuthClientID != "" {
		s.oauth = leverauth.Config{ClientID: simOpts.OAuthClientID, ClientSecret: simOpts.OAuthClientSecret,
			AuthURL: leverSrv.URL + "/authorize", TokenURL: leverSrv.URL + "/oauth/token", RedirectURL: s.webURL + "/admin/oauth/callback"}
		ac.Refreshing = func(id string) oauth2.TokenSource { return s.oauth.TokenSource(st, id) }
		s.connect(t)
	}
	acts, err := activities.New(activities.AccountClients(accounts.New(st, ac)), pc, st,
		activities.Config{CallbackURL: s.webURL + "/callbacks/assessment", Temporal: tc, Namespace: tsrv.GetDefaultNamespace()})
	if err != nil {
		t.Fatal(err)
	}
	w := worker.New(tc, queue, worker.Options{})
	workflows.Register(w, acts)
	if err := w.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	t.Cleanup(w.Stop)
	lw, err := leverqueue.New(tc, leverqueue.Config{
		TaskQueue: queue, Rate: 10,
		Register: func(r worker.Registry) { r.RegisterActivity(acts) },
		Accounts: func(context.Context) ([]string, error) { return []string{account}, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := lw.Start(ctx); err != nil {
		t.Fatalf("start lever workers: %v", err)
	}
	t.Cleanup(lw.Stop)

	h, err := web.New(tc, st, zap.NewNop(), web.Config{CallbackSecret: callbackSecret, TaskQueue: queue})
	if err != nil {
		t.Fatal(err)
	}
	webSrv.Config.Handler = s.deliveries.capture(h.Handler())
	webSrv.Start()
	t.Cleanup(webSrv.Close)

	ls.AddWebhook(account, lever.EventStageChange, s.webURL+"/webhooks/lever/"+account, webhookSecret)
	ls.AddWebhook(account, lever.EventArchiveChange, s.webURL+"/webhooks/lever/"+account, webhookSecret)
	ls.AddWebhook(account, lever.EventDeleted, s.webURL+"/webhooks/lever/"+account, webhookSecret)
	return s
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tsrv != nil {
		tsrv.Stop()
	}
	os.Exit(code)
}

// connect does what the admin page's Connect does: authorize in (simulated) Lever, exchange the
// code, save the tokens and mark the account connected.
func (s *stack) connect(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	authURL, state, verifier := s.oauth.Begin()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	code, err := s.lever.Authorize(account, q.Get("client_id"), q.Get("redirect_uri"), q.Get("scope"), state, q.Get("code_challenge"))
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	tok, err := s.oauth.Finish(ctx, code, verifier)
	if err != nil {
		t.Fatalf("finish: %v", err)
	}
	mustDo(t, s.store.SaveTokens(ctx, account, tok.AccessToken, tok.RefreshToken, tok.Expiry))
	mustDo(t, s.store.SetStatus(ctx, account, store.StatusConnected))
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// invitationFor waits for the platform to have the opportunity's invitation.
func (s *stack) invitationFor(t *testing.T, opportunityID string) platformsim.Invitation {
	t.Helper()
	var inv platformsim.Invitation
	eventually(t, "invitation of "+opportunityID, func() bool {
		var ok bool
		inv, ok = s.platform.InvitationByReference(workflows.WorkflowID(account, opportunityID))
		return ok
	})
	return inv
}

// tags waits for the candidate's Lever tags to contain want, and returns them.
func (s *stack) waitTag(t *testing.T, opportunityID, want string) {
	t.Helper()
	eventually(t, "tag "+want, func() bool {
		st, _ := s.lever.Snapshot(account, opportunityID)
		for _, tag := range st.Tags {
			if tag == want {
				return true
			}
		}
		return false
	})
}

// result waits for the workflow to end and returns its result and error.
func (s *stack) result(t *testing.T, opportunityID string) (workflows.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var res workflows.Result
	err := s.temporal.GetWorkflow(ctx, workflows.WorkflowID(account, opportunityID), "").Get(ctx, &res)
	return res, err
}
