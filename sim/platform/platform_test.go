package platform_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
)

const (
	apiKey = "sim-key"
	secret = "callback-secret"
)

// receiver is the assessbridge side: it verifies and records callbacks.
type receiver struct {
	mu     sync.Mutex
	status int // answer to give
	got    []assessment.Callback
	errs   []error
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := assessment.VerifySignature(secret, r.Header.Get(assessment.SignatureHeader), body, time.Now(), time.Minute); err != nil {
		rc.errs = append(rc.errs, err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	cb, err := assessment.ParseCallback(body)
	if err != nil {
		rc.errs = append(rc.errs, err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	rc.got = append(rc.got, *cb)
	w.WriteHeader(rc.status)
}

func (rc *receiver) answer(status int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.status = status
}

func (rc *receiver) callbacks() ([]assessment.Callback, []error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]assessment.Callback(nil), rc.got...), append([]error(nil), rc.errs...)
}

type env struct {
	sim    *platformsim.Server
	api    *httptest.Server
	rc     *receiver
	client *assessment.Client
}

func newEnv(t *testing.T) env {
	t.Helper()
	rc := &receiver{status: http.StatusOK}
	cbSrv := httptest.NewServer(rc)
	t.Cleanup(cbSrv.Close)
	sim := platformsim.New(platformsim.Options{APIKey: apiKey, CallbackURL: cbSrv.URL + "/callbacks/assessment", CallbackSecret: secret})
	sim.AddAssessment("asmt-1", "Go Backend")
	api := httptest.NewServer(sim)
	t.Cleanup(api.Close)
	c, err := assessment.NewClient(api.URL, apiKey)
	if err != nil {
		t.Fatalf("NewClient error = %v, want nil", err)
	}
	return env{sim: sim, api: api, rc: rc, client: c}
}

func (e env) invite(t *testing.T, key string) assessment.Invitation {
	t.Helper()
	inv, err := e.client.Invite(context.Background(), assessment.InviteRequest{
		IdempotencyKey: key, AssessmentID: "asmt-1", Reference: key,
		Candidate: assessment.Candidate{Name: "Ada", Email: "ada@example.com"},
	})
	if err != nil {
		t.Fatalf("Invite error = %v, want nil", err)
	}
	return inv
}

func TestStartSubmitDeliverSignedCallbacks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inv := e.invite(t, "wf-1")

	if err := e.sim.Start(ctx, inv.ID); err != nil {
		t.Fatalf("Start error = %v, want nil", err)
	}
	if got, _ := e.sim.Invitation(inv.ID); got.Status != assessment.StatusStarted {
		t.Errorf("status after Start = %q, want %q", got.Status, assessment.StatusStarted)
	}
	score, maxScore := 82.0, 100.0
	result := assessment.Result{Score: &score, MaxScore: &maxScore, ReportURL: "https://p/r/1",
		Proctoring: assessment.Proctoring{Flagged: true, Summary: "2 tab switches"}}
	if err := e.sim.Submit(ctx, inv.ID, result); err != nil {
		t.Fatalf("Submit error = %v, want nil", err)
	}
	if got, _ := e.sim.Invitation(inv.ID); got.Status != assessment.StatusSubmitted {
		t.Errorf("status after Submit = %q, want %q", got.Status, assessment.StatusSubmitted)
	}

	got, errs := e.rc.callbacks()
	if len(errs) != 0 {
		t.Fatalf("receiver errors = %v, want none", errs)
	}
	if len(got) != 2 {
		t.Fatalf("callbacks received = %d, want 2", len(got))
	}
	for i, want := range []string{assessment.EventStarted, assessment.EventSubmitted} {
		cb := got[i]
		if cb.Event != want || cb.InvitationID != inv.ID || cb.Reference != "wf-1" || cb.ID == "" || cb.OccurredAt.IsZero() {
			t.Errorf("callback %d = %+v, want event %s for %s, reference wf-1, id and time set", i, cb, want, inv.ID)
		}
	}
	if got[0].ID == got[1].ID {
		t.Errorf("event ids both %q, want distinct", got[0].ID)
	}
	r := got[1].Result
	if r == nil || *r.Score != 82 || *r.MaxScore != 100 || r.ReportURL != "https://p/r/1" || !r.Proctoring.Flagged || r.Proctoring.Summary != "2 tab switches" {
		t.Errorf("submitted result = %+v, want %+v", r, result)
	}
}

func TestCallbackGoesToInvitationURL(t *testing.T) {
	e := newEnv(t)
	own := &receiver{status: http.StatusNoContent}
	ownSrv := httptest.NewServer(own)
	t.Cleanup(ownSrv.Close)
	inv, err := e.client.Invite(context.Background(), assessment.InviteRequest{
		IdempotencyKey: "wf-1", AssessmentID: "asmt-1", Reference: "wf-1", CallbackURL: ownSrv.URL,
		Candidate: assessment.Candidate{Email: "ada@example.com"},
	})
	if err != nil {
		t.Fatalf("Invite error = %v, want nil", err)
	}
	if err := e.sim.Start(context.Background(), inv.ID); err != nil {
		t.Fatalf("Start error = %v, want nil", err)
	}
	if got, _ := own.callbacks(); len(got) != 1 {
		t.Errorf("callbacks at invitation's url = %d, want 1", len(got))
	}
	if got, _ := e.rc.callbacks(); len(got) != 0 {
		t.Errorf("callbacks at default url = %d, want 0", len(got))
	}
}

func TestStartSubmitFailures(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, e env, id string)
		run     func(e env, id string) error
		wantErr string
	}{
		{
			name:    "receiver answers 500",
			setup:   func(t *testing.T, e env, id string) { e.rc.answer(http.StatusInternalServerError) },
			run:     func(e env, id string) error { return e.sim.Start(context.Background(), id) },
			wantErr: "500",
		},
		{
			name:    "unknown invitation",
			run:     func(e env, id string) error { return e.sim.Start(context.Background(), "inv_nope") },
			wantErr: "no such invitation",
		},
		{
			name: "cancelled",
			setup: func(t *testing.T, e env, id string) {
				if err := e.client.Cancel(context.Background(), id); err != nil {
					t.Fatalf("Cancel error = %v, want nil", err)
				}
			},
			run:     func(e env, id string) error { return e.sim.Submit(context.Background(), id, assessment.Result{}) },
			wantErr: "cancelled",
		},
		{
			name: "start after submit",
			setup: func(t *testing.T, e env, id string) {
				if err := e.sim.Submit(context.Background(), id, assessment.Result{}); err != nil {
					t.Fatalf("Submit error = %v, want nil", err)
				}
			},
			run:     func(e env, id string) error { return e.sim.Start(context.Background(), id) },
			wantErr: "already submitted",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			inv := e.invite(t, "wf-1")
			if tt.setup != nil {
				tt.setup(t, e, inv.ID)
			}
			err := tt.run(e, inv.ID)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestSendCallbackAndRaw(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inv := e.invite(t, "wf-1")

	status, err := e.sim.SendCallback(ctx, assessment.Callback{ID: "evt_dup", Event: assessment.EventSubmitted, InvitationID: inv.ID, Reference: "wf-1"})
	if err != nil || status != http.StatusBadRequest {
		t.Errorf("SendCallback without result = %d, %v, want 400, nil", status, err)
	}
	if got, _ := e.sim.Invitation(inv.ID); got.Status != assessment.StatusInvited {
		t.Errorf("status after SendCallback = %q, want %q (untouched)", got.Status, assessment.StatusInvited)
	}
	status, err = e.sim.SendRaw(ctx, []byte(`{"event":`))
	if err != nil || status != http.StatusBadRequest {
		t.Errorf("SendRaw bad json = %d, %v, want 400, nil", status, err)
	}
	status, err = e.sim.SendCallback(ctx, assessment.Callback{ID: "evt_ok", Event: assessment.EventStarted, InvitationID: inv.ID, Reference: "wf-1"})
	if err != nil || status != http.StatusOK {
		t.Errorf("SendCallback started = %d, %v, want 200, nil", status, err)
	}
}

func TestHTTPContract(t *testing.T) {
	e := newEnv(t)
	inv := e.invite(t, "wf-1")
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		want                     int
		wantCode                 string
	}{
		{"no auth", "GET", "/v1/assessments", "", nil, 401, "unauthorized"},
		{"missing idempotency key", "POST", "/v1/invitations", `{"assessment_id":"asmt-1"}`, map[string]string{"Content-Type": "application/json"}, 400, "missing_idempotency_key"},
		{"bad json", "POST", "/v1/invitations", `{`, map[string]string{"Idempotency-Key": "k"}, 400, "invalid_json"},
		{"wrong content type", "POST", "/v1/invitations", `{}`, map[string]string{"Idempotency-Key": "k", "Content-Type": "text/plain"}, 415, "unsupported_media_type"},
		{"bad callback url", "POST", "/v1/invitations", `{"assessment_id":"asmt-1","reference":"r","candidate":{"email":"a@b.c"},"callback_url":"/relative"}`, map[string]string{"Idempotency-Key": "k2"}, 422, "invalid_callback_url"},
		{"unknown route", "GET", "/v1/nope", "", nil, 404, "not_found"},
		{"wrong method", "GET", "/v1/invitations/" + inv.ID, "", nil, 405, "method_not_allowed"},
		{"remind", "POST", "/v1/invitations/" + inv.ID + "/remind", "", nil, 202, ""},
		{"cancel", "DELETE", "/v1/invitations/" + inv.ID, "", nil, 204, ""},
		{"cancel again", "DELETE", "/v1/invitations/" + inv.ID, "", nil, 204, ""},
		{"remind cancelled", "POST", "/v1/invitations/" + inv.ID + "/remind", "", nil, 409, "invitation_cancelled"},
		{"mounted under a prefix", "GET", "/some/prefix/v1/assessments", "", nil, 200, ""},
		{"take page without auth", "GET", "/take/" + inv.ID, "", map[string]string{"Authorization": ""}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(context.Background(), tt.method, e.api.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatalf("NewRequest error = %v", err)
			}
			if tt.name != "no auth" {
				req.Header.Set("Authorization", "Bearer "+apiKey)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("request error = %v, want nil", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.wantCode == "" {
				return
			}
			var env struct {
				Error struct{ Code string } `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Error.Code != tt.wantCode {
				t.Errorf("error code = %q (decode err %v), want %q", env.Error.Code, err, tt.wantCode)
			}
		})
	}
}

func TestCancelSubmittedConflicts(t *testing.T) {
	e := newEnv(t)
	inv := e.invite(t, "wf-1")
	if err := e.sim.Submit(context.Background(), inv.ID, assessment.Result{}); err != nil {
		t.Fatalf("Submit error = %v, want nil", err)
	}
	err := e.client.Cancel(context.Background(), inv.ID)
	if apiErr, ok := errors.AsType[*assessment.APIError](err); !ok || !errors.Is(err, assessment.ErrConflict) || apiErr.Code != "already_submitted" {
		t.Errorf("Cancel submitted error = %v, want 409 already_submitted", err)
	}
}

func TestInviteURLUnderStripPrefix(t *testing.T) {
	sim := platformsim.New(platformsim.Options{APIKey: apiKey})
	sim.AddAssessment("asmt-1", "Go Backend")
	mux := http.NewServeMux()
	mux.Handle("/platform/", http.StripPrefix("/platform", sim))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := assessment.NewClient(srv.URL+"/platform", apiKey)
	if err != nil {
		t.Fatalf("NewClient error = %v, want nil", err)
	}
	inv, err := c.Invite(context.Background(), assessment.InviteRequest{IdempotencyKey: "k", AssessmentID: "asmt-1", Reference: "r", Candidate: assessment.Candidate{Email: "a@b.c"}})
	if err != nil {
		t.Fatalf("Invite error = %v, want nil", err)
	}
	if want := srv.URL + "/platform/take/" + inv.ID; inv.InviteURL != want {
		t.Errorf("InviteURL = %q, want %q", inv.InviteURL, want)
	}
}

func TestFaultTimes(t *testing.T) {
	e := newEnv(t)
	e.sim.InjectFault(platformsim.Fault{Method: http.MethodGet, PathContains: "/assessments", Status: 503, Times: 2})
	var statuses []int
	for range 3 {
		_, err := e.client.ListAssessments(context.Background())
		status := http.StatusOK
		if apiErr, ok := errors.AsType[*assessment.APIError](err); ok {
			status = apiErr.StatusCode
		}
		statuses = append(statuses, status)
	}
	if want := []int{503, 503, 200}; !slices.Equal(statuses, want) {
		t.Errorf("statuses = %v, want %v", statuses, want)
	}
	e.sim.InjectFault(platformsim.Fault{Status: 500}) // Times 0: every request
	for range 2 {
		if _, err := e.client.ListAssessments(context.Background()); err == nil {
			t.Error("ListAssessments error = nil, want 500 from a permanent fault")
		}
	}
	e.sim.ClearFaults()
	if _, err := e.client.ListAssessments(context.Background()); err != nil {
		t.Errorf("ListAssessments after ClearFaults error = %v, want nil", err)
	}
}

func TestInvitationsAccessors(t *testing.T) {
	e := newEnv(t)
	first := e.invite(t, "wf-1")
	second := e.invite(t, "wf-2")
	all := e.sim.Invitations()
	if len(all) != 2 || all[0].ID != first.ID || all[1].ID != second.ID {
		t.Fatalf("Invitations = %+v, want [%s %s] in creation order", all, first.ID, second.ID)
	}
	all[0].Status = "mutated"
	if got, _ := e.sim.Invitation(first.ID); got.Status != assessment.StatusInvited {
		t.Errorf("status after mutating a copy = %q, want %q", got.Status, assessment.StatusInvited)
	}
	if got, ok := e.sim.InvitationByReference("wf-2"); !ok || got.ID != second.ID {
		t.Errorf("InvitationByReference(wf-2) = %s, %v, want %s, true", got.ID, ok, second.ID)
	}
	if _, ok := e.sim.InvitationByReference("nope"); ok {
		t.Error("InvitationByReference(nope) ok = true, want false")
	}
}

func TestControlAPI(t *testing.T) {
	received := make(chan assessment.Callback, 4)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c, err := assessment.ParseCallback(body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		received <- *c
		w.WriteHeader(http.StatusAccepted)
	}))
	defer cb.Close()
	s := platformsim.New(platformsim.Options{APIKey: "k", CallbackURL: cb.URL, CallbackSecret: "sec"})
	srv := httptest.NewServer(s)
	defer srv.Close()
	s.AddAssessment("a1", "A One")
	if resp, err := http.Post(srv.URL+"/_sim/invitations/latest/start", "application/json", nil); err != nil || resp.StatusCode != 404 {
		t.Errorf("latest before any invitation: got %v %v, want 404", resp, err)
	}
	c, err := assessment.NewClient(srv.URL, "k")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := c.Invite(context.Background(), assessment.InviteRequest{IdempotencyKey: "k1", AssessmentID: "a1",
		Candidate: assessment.Candidate{Name: "N", Email: "n@example.com"}, Reference: "lever/x/y"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, body string
		want       int
		event      string
	}{
		{"/_sim/invitations/" + inv.ID + "/start", "", 204, assessment.EventStarted},
		{"/_sim/invitations/latest/submit", `{"score":3,"max_score":4}`, 204, assessment.EventSubmitted},
		{"/_sim/invitations/" + inv.ID + "/submit", `not json`, 400, ""},
		{"/_sim/invitations/nope/start", "", 502, ""},
		{"/_sim/invitations/" + inv.ID + "/pause", "", 404, ""},
	} {
		resp, err := http.Post(srv.URL+tt.path, "application/json", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("POST %s: got %d, want %d", tt.path, resp.StatusCode, tt.want)
		}
		if tt.event != "" {
			if got := <-received; got.Event != tt.event || got.Reference != "lever/x/y" {
				t.Errorf("callback: got %s for %s, want %s", got.Event, got.Reference, tt.event)
			}
		}
	}
	resp, err := http.Get(srv.URL + "/_sim/invitations")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /_sim/invitations: got %d, want 200", resp.StatusCode)
	}
}
