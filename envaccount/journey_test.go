package envaccount_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/temporaltest"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/namespace"
	"github.com/assessbridge/assessbridge/service"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

const (
	firstToken, secondToken = "signature-token-of-one-webhook", "signature-token-of-another"
	platformKey             = "platform-key"
	callbackSecret          = "platform-callback-secret"
	assessmentID            = "as-go"
	assessmentTitle         = "Go Test"
)

// One Temporal server for the package: starting one costs about a second.
var tsrv *temporaltest.TestServer

func TestMain(m *testing.M) {
	code := m.Run()
	if tsrv != nil {
		tsrv.Stop()
	}
	os.Exit(code)
}

// selfHosted is assessbridge as a company runs it for its own Lever account: configured from the
// environment only, wired by the service package as the worker and starter commands wire it.
type selfHosted struct {
	cfg      config.Config
	env      map[string]string
	store    *store.Store
	temporal client.Client
	lever    *leversim.Server
	platform *platformsim.Server
}

func newSelfHosted(t *testing.T) *selfHosted {
	t.Helper()
	ctx := context.Background()
	if tsrv == nil {
		tsrv = temporaltest.NewServer()
		if err := namespace.RegisterSearchAttributes(ctx, tsrv.GetDefaultClient(), tsrv.GetDefaultNamespace()); err != nil {
			t.Fatalf("register search attributes: %v", err)
		}
	}
	ls, leverURL := leverWithKey(t)
	web := httptest.NewUnstartedServer(nil)
	t.Cleanup(web.Close)
	webURL := "http://" + web.Listener.Addr().String()
	ps := platformsim.New(platformsim.Options{APIKey: platformKey, CallbackURL: webURL + "/callbacks/assessment", CallbackSecret: callbackSecret})
	psrv := httptest.NewServer(ps)
	t.Cleanup(psrv.Close)
	ps.AddAssessment(assessmentID, assessmentTitle)

	s := &selfHosted{temporal: tsrv.GetDefaultClient(), lever: ls, platform: ps, store: newStore(t)}
	s.env = map[string]string{
		"ASSESSBRIDGE_LEVER_API_KEY":            apiKey,
		"ASSESSBRIDGE_LEVER_API_URL":            leverURL,
		"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS":     firstToken + "," + secondToken,
		"ASSESSBRIDGE_TRIGGER_STAGES":           "Assessment",
		"ASSESSBRIDGE_PERFORM_AS":               userEmail,
		"ASSESSBRIDGE_PLATFORM_URL":             psrv.URL,
		"ASSESSBRIDGE_PLATFORM_API_KEY":         platformKey,
		"ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET": callbackSecret,
		"ASSESSBRIDGE_PUBLIC_URL":               webURL,
		"ASSESSBRIDGE_TEMPORAL_NAMESPACE":       tsrv.GetDefaultNamespace(),
		"ASSESSBRIDGE_TASK_QUEUE":               "envaccount-" + t.Name(), // no other test's worker takes its tasks
		"ASSESSBRIDGE_SECRET_KEY":               hex.EncodeToString(bytes.Repeat([]byte{7}, store.KeySize)),
	}
	s.apply(t)

	acts, err := service.NewActivities(s.cfg, s.store, s.temporal)
	if err != nil {
		t.Fatal(err)
	}
	w, err := service.NewWorker(s.temporal, s.cfg, acts, s.store)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(context.Background()); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	t.Cleanup(w.Stop)
	h, err := service.NewHandler(s.temporal, s.store, s.cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	web.Config.Handler = h
	web.Start()
	return s
}

// apply is a (re)start: the environment is read and applied as the commands do at start.
func (s *selfHosted) apply(t *testing.T) {
	t.Helper()
	s.cfg = loadConfig(t, s.env)
	if err := service.ApplyEnvAccount(context.Background(), s.cfg, s.store, s.temporal, zap.NewNop()); err != nil {
		t.Fatalf("apply environment account: %v", err)
	}
}

// addCandidate adds a candidate tagged with the assessment's title and returns its id, unique
// in the shared Temporal server (a finished journey's id is never started again).
func (s *selfHosted) addCandidate(name string) string {
	id := name + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	s.lever.AddOpportunity(config.EnvAccountID, leversim.Opportunity{ID: id, Name: "Ada Lovelace",
		Emails: []string{id + "@candidates.example"}, Tags: []string{assessmentTitle}, StageID: stageScreen})
	return id
}

func (s *selfHosted) invitation(t *testing.T, opportunityID string) platformsim.Invitation {
	t.Helper()
	var inv platformsim.Invitation
	eventually(t, "the invitation", func() bool {
		var ok bool
		inv, ok = s.platform.InvitationByReference(workflows.WorkflowID(config.EnvAccountID, opportunityID))
		return ok
	})
	return inv
}

func (s *selfHosted) status(opportunityID string) (workflows.Status, bool) {
	v, err := s.temporal.QueryWorkflow(context.Background(), workflows.WorkflowID(config.EnvAccountID, opportunityID), "", workflows.QueryStatus)
	var st workflows.Status
	if err != nil || v.Get(&st) != nil {
		return st, false
	}
	return st, true
}

func (s *selfHosted) result(t *testing.T, opportunityID string) workflows.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var res workflows.Result
	if err := s.temporal.GetWorkflow(ctx, workflows.WorkflowID(config.EnvAccountID, opportunityID), "").Get(ctx, &res); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	return res
}

// eventually polls cond until it holds or 30 s pass.
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

func fp(v float64) *float64 { return &v }

// TestSelfHostedJourney: the account exists only in the environment (API key, two hand-made
// webhooks' tokens, the trigger stage and perform_as by name and email). Lever's webhook, made by
// hand and signed with the second token, starts the journey, which ends with the Submitted tag,
// one feedback form posted as the perform_as user and one note.
func TestSelfHostedJourney(t *testing.T) {
	s := newSelfHosted(t)
	ctx := context.Background()
	s.lever.AddWebhook(config.EnvAccountID, lever.EventStageChange, s.cfg.WebhookURL(config.EnvAccountID), secondToken)
	opp := s.addCandidate("opp")
	if err := s.lever.MoveToStage(ctx, config.EnvAccountID, opp, stageAssess); err != nil {
		t.Fatalf("stage change webhook: %v", err)
	}
	inv := s.invitation(t, opp)
	if inv.AssessmentID != assessmentID {
		t.Errorf("invited to: got %q, want %q (from the catalogue synced at start)", inv.AssessmentID, assessmentID)
	}
	if err := s.platform.Start(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.platform.Submit(ctx, inv.ID, assessment.Result{Score: fp(48), MaxScore: fp(60), ReportURL: "https://platform.example/r/ada"}); err != nil {
		t.Fatal(err)
	}
	if res := s.result(t, opp); res.Step != workflows.StepCompleted || res.Rating != 4 {
		t.Errorf("result: got step %q rating %d, want %q rating 4 (80%%)", res.Step, res.Rating, workflows.StepCompleted)
	}
	snap, _ := s.lever.Snapshot(config.EnvAccountID, opp)
	if want := []string{assessmentTitle + " - Submitted"}; !slices.Equal(snap.Tags, want) {
		t.Errorf("tags: got %q, want %q", snap.Tags, want)
	}
	if len(snap.Feedback) != 1 || snap.Feedback[0].PerformAs != userID || snap.Feedback[0].Rating != "4 - Strong Hire" {
		t.Errorf("feedback: got %+v, want one rated 4 - Strong Hire as %s", snap.Feedback, userID)
	}
	if len(snap.Notes) != 1 {
		t.Errorf("notes: got %d, want 1", len(snap.Notes))
	}
}

// TestSelfHostedWebhookTokens: a delivery signed with any configured token is taken; one signed
// with another token is refused and starts nothing.
func TestSelfHostedWebhookTokens(t *testing.T) {
	s := newSelfHosted(t)
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{"first token", firstToken, http.StatusOK},
		{"second token", secondToken, http.StatusOK},
		{"token of no configured webhook", "someone-elses-token", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The Test button's delivery: empty data, so a verified one is acknowledged and ignored.
			at := time.Now().UnixMilli()
			body, _ := json.Marshal(map[string]any{"event": lever.EventStageChange, "triggeredAt": at, "token": "t0k3n",
				"signature": lever.Sign(tt.token, "t0k3n", at), "data": map[string]any{}})
			resp, err := http.Post(s.cfg.WebhookURL(config.EnvAccountID), "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status: got %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

// TestSelfHostedWrongKey: the key stops working (deleted or rotated in Lever) while assessbridge
// runs. The journey does not retry in vain: the account turns disconnected and the workflow waits
// in lever_disconnected, its status saying why. Setting the new key and restarting carries it on.
func TestSelfHostedWrongKey(t *testing.T) {
	s := newSelfHosted(t)
	ctx := context.Background()
	s.lever.AddWebhook(config.EnvAccountID, lever.EventStageChange, s.cfg.WebhookURL(config.EnvAccountID), firstToken)
	s.lever.AddAccount(config.EnvAccountID, "the-new-key") // the old key is rejected from now on
	opp := s.addCandidate("opp")
	if err := s.lever.MoveToStage(ctx, config.EnvAccountID, opp, stageAssess); err != nil {
		t.Fatalf("stage change webhook: %v", err)
	}
	var st workflows.Status
	eventually(t, "status lever_disconnected", func() bool {
		var ok bool
		st, ok = s.status(opp)
		return ok && st.Step == workflows.StepLeverDisconnected
	})
	if !strings.Contains(st.LastError, "revoked") {
		t.Errorf("status reason: got %q, want one saying Lever refused access", st.LastError)
	}
	if a := mustAccount(t, s.store, config.EnvAccountID); a.Status != store.StatusDisconnected {
		t.Errorf("account status: got %q, want %q", a.Status, store.StatusDisconnected)
	}
	if n := len(s.platform.Invitations()); n != 0 {
		t.Errorf("invitations: got %d, want 0 while Lever is unreachable", n)
	}

	// The restart must find the waiting workflow in the list it signals.
	eventually(t, "the waiting workflow to be listed", func() bool {
		resp, err := s.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: s.cfg.TemporalNamespace,
			Query: "WorkflowId = '" + workflows.WorkflowID(config.EnvAccountID, opp) + "' AND " +
				workflows.AttrStatus.GetName() + " = '" + workflows.StepLeverDisconnected + "'"})
		return err == nil && len(resp.GetExecutions()) == 1
	})
	s.env["ASSESSBRIDGE_LEVER_API_KEY"] = "the-new-key"
	s.apply(t)
	inv := s.invitation(t, opp)
	if st, _ := s.status(opp); st.Step == workflows.StepLeverDisconnected {
		t.Errorf("status after the fix: got %q, want the journey carrying on", st.Step)
	}
	if inv.AssessmentID != assessmentID {
		t.Errorf("invited to: got %q, want %q", inv.AssessmentID, assessmentID)
	}
}
