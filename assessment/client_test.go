package assessment_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
)

const (
	apiKey = "test-api-key"
	email  = "ada@example.com"
)

type env struct {
	sim    *platformsim.Server
	srv    *httptest.Server
	client *assessment.Client
}

func newEnv(t *testing.T, opts ...assessment.ClientOption) env {
	t.Helper()
	sim := platformsim.New(platformsim.Options{APIKey: apiKey, CallbackURL: "http://callbacks.invalid/cb", CallbackSecret: "s"})
	sim.AddAssessment("asmt-1", "Go Backend")
	sim.AddAssessment("asmt-2", "SQL Basics")
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := assessment.NewClient(srv.URL+"/", apiKey, opts...)
	if err != nil {
		t.Fatalf("NewClient error = %v, want nil", err)
	}
	return env{sim: sim, srv: srv, client: c}
}

func inviteReq(key, assessmentID string) assessment.InviteRequest {
	return assessment.InviteRequest{
		IdempotencyKey: key,
		AssessmentID:   assessmentID,
		Candidate:      assessment.Candidate{Name: "Ada Lovelace", Email: email},
		Reference:      key,
		CallbackURL:    "https://bridge.example/callbacks/assessment",
	}
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name, base, key string
		wantErr         bool
	}{
		{"ok", "https://platform.example/api", "k", false},
		{"ok trailing slash", "http://localhost:8080/", "k", false},
		{"empty base", "", "k", true},
		{"empty key", "https://platform.example", "", true},
		{"relative", "/api", "k", true},
		{"bad scheme", "ftp://platform.example", "k", true},
		{"unparsable", "https://user:hunter2@[::1", "k", true},
		{"query", "https://platform.example/api?x=1", "k", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := assessment.NewClient(tt.base, tt.key)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("NewClient error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q contains the base url's password, want it redacted", err)
			}
			if err == nil && c == nil {
				t.Error("NewClient client = nil, want non-nil")
			}
		})
	}
}

func TestInvite(t *testing.T) {
	e := newEnv(t)
	inv, err := e.client.Invite(context.Background(), inviteReq("lever/acme/opp-1/asmt-1", "asmt-1"))
	if err != nil {
		t.Fatalf("Invite error = %v, want nil", err)
	}
	if inv.ID == "" || inv.AssessmentID != "asmt-1" || inv.Reference != "lever/acme/opp-1/asmt-1" || inv.Status != assessment.StatusInvited {
		t.Errorf("Invite = %+v, want id set, asmt-1, reference echoed, status invited", inv)
	}
	if want := e.srv.URL + "/take/" + inv.ID; inv.InviteURL != want {
		t.Errorf("InviteURL = %q, want %q", inv.InviteURL, want)
	}
	got, ok := e.sim.Invitation(inv.ID)
	if !ok {
		t.Fatalf("sim has no invitation %s, want one", inv.ID)
	}
	if got.Candidate.Email != email || got.IdempotencyKey != "lever/acme/opp-1/asmt-1" || got.CallbackURL != "https://bridge.example/callbacks/assessment" {
		t.Errorf("sim invitation = %+v, want candidate, key and callback url as sent", got)
	}
}

func TestInviteIdempotentReplay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first, err := e.client.Invite(ctx, inviteReq("wf-1", "asmt-1"))
	if err != nil {
		t.Fatalf("first Invite error = %v, want nil", err)
	}
	second, err := e.client.Invite(ctx, inviteReq("wf-1", "asmt-1"))
	if err != nil {
		t.Fatalf("replayed Invite error = %v, want nil", err)
	}
	if second != first {
		t.Errorf("replayed Invite = %+v, want %+v", second, first)
	}
	if n := len(e.sim.Invitations()); n != 1 {
		t.Errorf("invitations created = %d, want 1", n)
	}
	if n := e.sim.InviteRequests(); n != 2 {
		t.Errorf("invite requests = %d, want 2", n)
	}
}

func TestInviteErrors(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func(e env) // e.g. a first invite under the same key
		req      assessment.InviteRequest
		status   int // 0: rejected before any request
		code     string
		conflict bool
	}{
		{
			name:     "same key other assessment",
			prepare:  func(e env) { _, _ = e.client.Invite(context.Background(), inviteReq("wf-1", "asmt-1")) },
			req:      inviteReq("wf-1", "asmt-2"),
			status:   409,
			code:     "idempotency_conflict",
			conflict: true,
		},
		{name: "unknown assessment", req: inviteReq("wf-2", "nope"), status: 422, code: "unknown_assessment"},
		{
			name: "missing email",
			req: func() assessment.InviteRequest {
				r := inviteReq("wf-3", "asmt-1")
				r.Candidate.Email = ""
				return r
			}(),
			status: 422, code: "invalid_candidate",
		},
		{
			name: "missing reference",
			req: func() assessment.InviteRequest {
				r := inviteReq("wf-4", "asmt-1")
				r.Reference = ""
				return r
			}(),
			status: 422, code: "invalid_reference",
		},
		{name: "missing idempotency key", req: inviteReq("", "asmt-1")},
		{name: "missing assessment", req: inviteReq("wf-5", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.prepare != nil {
				tt.prepare(e)
			}
			_, err := e.client.Invite(context.Background(), tt.req)
			if err == nil {
				t.Fatal("Invite error = nil, want an error")
			}
			if assessment.IsRetryable(err) {
				t.Errorf("IsRetryable(%v) = true, want false", err)
			}
			if got := errors.Is(err, assessment.ErrConflict); got != tt.conflict {
				t.Errorf("errors.Is(ErrConflict) = %v, want %v", got, tt.conflict)
			}
			for _, secret := range []string{email, apiKey} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains %q, want neither email nor api key", err, secret)
				}
			}
			apiErr, ok := errors.AsType[*assessment.APIError](err)
			if tt.status == 0 {
				if ok {
					t.Errorf("error = %v, want a local error before any request", err)
				}
				return
			}
			if !ok {
				t.Fatalf("error = %v, want an *APIError", err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.code {
				t.Errorf("APIError = %d %q, want %d %q", apiErr.StatusCode, apiErr.Code, tt.status, tt.code)
			}
		})
	}
}

func TestRetryableFaults(t *testing.T) {
	tests := []struct {
		name           string
		fault          platformsim.Fault
		wantRetryable  bool
		wantStatus     int
		wantRetryAfter time.Duration
	}{
		{"500", platformsim.Fault{Status: 500}, true, 500, 0},
		{"502", platformsim.Fault{Status: 502}, true, 502, 0},
		{"503 with retry-after", platformsim.Fault{Status: 503, RetryAfter: 30 * time.Second}, true, 503, 30 * time.Second},
		{"429 with retry-after", platformsim.Fault{Status: 429, RetryAfter: 2 * time.Second}, true, 429, 2 * time.Second},
		{"429 without retry-after", platformsim.Fault{Status: 429}, true, 429, 0},
		{"400", platformsim.Fault{Status: 400}, false, 400, 0},
		{"403", platformsim.Fault{Status: 403}, false, 403, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			f := tt.fault
			f.Method, f.PathContains, f.Times = http.MethodPost, "/v1/invitations", 1
			e.sim.InjectFault(f)
			_, err := e.client.Invite(context.Background(), inviteReq("wf-1", "asmt-1"))
			if got := assessment.IsRetryable(err); got != tt.wantRetryable {
				t.Errorf("IsRetryable(%v) = %v, want %v", err, got, tt.wantRetryable)
			}
			apiErr, ok := errors.AsType[*assessment.APIError](err)
			if !ok {
				t.Fatalf("error = %v, want an *APIError", err)
			}
			if apiErr.StatusCode != tt.wantStatus || apiErr.RetryAfter != tt.wantRetryAfter {
				t.Errorf("APIError status, retry-after = %d, %v, want %d, %v", apiErr.StatusCode, apiErr.RetryAfter, tt.wantStatus, tt.wantRetryAfter)
			}
			// The fault was used up: the retry an activity would make goes through.
			if _, err := e.client.Invite(context.Background(), inviteReq("wf-1", "asmt-1")); err != nil {
				t.Errorf("Invite after fault error = %v, want nil", err)
			}
			if n := len(e.sim.Invitations()); n != 1 {
				t.Errorf("invitations created = %d, want 1", n)
			}
		})
	}
}

func TestTransportErrorsRetryable(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		e := newEnv(t, assessment.WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}))
		e.sim.InjectFault(platformsim.Fault{PathContains: "/remind", Delay: 10 * time.Second})
		err := e.client.Remind(context.Background(), "inv_x")
		if err == nil || !assessment.IsRetryable(err) {
			t.Errorf("Remind error = %v (retryable %v), want a retryable timeout", err, assessment.IsRetryable(err))
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Close()
		err := e.client.Cancel(context.Background(), "inv_x")
		if err == nil || !assessment.IsRetryable(err) {
			t.Errorf("Cancel error = %v (retryable %v), want a retryable transport error", err, assessment.IsRetryable(err))
		}
	})
	t.Run("context canceled", func(t *testing.T) {
		e := newEnv(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := e.client.Invite(ctx, inviteReq("wf-1", "asmt-1"))
		if err == nil || assessment.IsRetryable(err) {
			t.Errorf("Invite error = %v (retryable %v), want a non-retryable cancellation", err, assessment.IsRetryable(err))
		}
	})
	t.Run("unreadable 2xx", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte("<html>proxy</html>"))
		}))
		t.Cleanup(srv.Close)
		c, err := assessment.NewClient(srv.URL, apiKey)
		if err != nil {
			t.Fatalf("NewClient error = %v, want nil", err)
		}
		_, err = c.Invite(context.Background(), inviteReq("wf-1", "asmt-1"))
		if err == nil || !assessment.IsRetryable(err) {
			t.Errorf("Invite error = %v (retryable %v), want a retryable decode error", err, assessment.IsRetryable(err))
		}
	})
}

func TestErrorMessagesScrubbed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"error":{"code":"invalid_candidate","message":"ada@example.com is not deliverable (key test-api-key)"}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := assessment.NewClient(srv.URL, apiKey)
	if err != nil {
		t.Fatalf("NewClient error = %v, want nil", err)
	}
	_, err = c.Invite(context.Background(), inviteReq("wf-1", "asmt-1"))
	if err == nil {
		t.Fatal("Invite error = nil, want an error")
	}
	for _, secret := range []string{email, apiKey} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q contains %q, want it redacted", err, secret)
		}
	}
}

func TestUnauthorized(t *testing.T) {
	e := newEnv(t)
	c, err := assessment.NewClient(e.srv.URL, "wrong-key")
	if err != nil {
		t.Fatalf("NewClient error = %v, want nil", err)
	}
	_, err = c.ListAssessments(context.Background())
	apiErr, ok := errors.AsType[*assessment.APIError](err)
	if !ok || apiErr.StatusCode != http.StatusUnauthorized {
		t.Fatalf("ListAssessments error = %v, want a 401 *APIError", err)
	}
	if assessment.IsRetryable(err) {
		t.Errorf("IsRetryable(401) = true, want false")
	}
	if strings.Contains(err.Error(), "wrong-key") {
		t.Errorf("error %q contains the api key, want not", err)
	}
}

func TestCancel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inv, err := e.client.Invite(ctx, inviteReq("wf-1", "asmt-1"))
	if err != nil {
		t.Fatalf("Invite error = %v, want nil", err)
	}
	for i := range 2 {
		if err := e.client.Cancel(ctx, inv.ID); err != nil {
			t.Errorf("Cancel #%d error = %v, want nil", i+1, err)
		}
	}
	if got, _ := e.sim.Invitation(inv.ID); got.Status != assessment.StatusCancelled {
		t.Errorf("status after cancel = %q, want %q", got.Status, assessment.StatusCancelled)
	}
	if err := e.client.Cancel(ctx, "inv_unknown"); !errors.Is(err, assessment.ErrNotFound) || assessment.IsRetryable(err) {
		t.Errorf("Cancel unknown error = %v, want non-retryable ErrNotFound", err)
	}
	if err := e.client.Cancel(ctx, ""); err == nil {
		t.Error("Cancel empty id error = nil, want an error")
	}
}

func TestRemind(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inv, err := e.client.Invite(ctx, inviteReq("wf-1", "asmt-1"))
	if err != nil {
		t.Fatalf("Invite error = %v, want nil", err)
	}
	if err := e.client.Remind(ctx, inv.ID); err != nil {
		t.Fatalf("Remind error = %v, want nil", err)
	}
	if got, _ := e.sim.Invitation(inv.ID); got.Reminders != 1 {
		t.Errorf("reminders = %d, want 1", got.Reminders)
	}
	if err := e.client.Remind(ctx, "inv_unknown"); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("Remind unknown error = %v, want ErrNotFound", err)
	}
	if err := e.client.Cancel(ctx, inv.ID); err != nil {
		t.Fatalf("Cancel error = %v, want nil", err)
	}
	if err := e.client.Remind(ctx, inv.ID); !errors.Is(err, assessment.ErrConflict) || assessment.IsRetryable(err) {
		t.Errorf("Remind cancelled error = %v, want non-retryable ErrConflict", err)
	}
}

func TestListAssessments(t *testing.T) {
	e := newEnv(t)
	got, err := e.client.ListAssessments(context.Background())
	if err != nil {
		t.Fatalf("ListAssessments error = %v, want nil", err)
	}
	want := []assessment.Assessment{{ID: "asmt-1", Title: "Go Backend"}, {ID: "asmt-2", Title: "SQL Basics"}}
	if len(got) != len(want) {
		t.Fatalf("ListAssessments = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ListAssessments[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}
