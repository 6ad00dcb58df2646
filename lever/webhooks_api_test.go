package lever_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestWebhooksLifecycle(t *testing.T) {
	for _, wrap := range []bool{false, true} {
		ctx := context.Background()
		f := newFixture(t, leversim.Options{WrapWebhookCreate: wrap, PageSize: 1, Rate: -1}, lever.WithLimiter(nil))
		handMade := f.sim.AddWebhook(acct, lever.EventHired, "https://bridge.example/hand", "hand-secret")
		hookURL := "https://bridge.example/webhooks/lever/" + acct

		created, err := f.client.CreateWebhook(ctx, lever.EventStageChange, hookURL)
		if err != nil {
			t.Fatalf("wrap=%v CreateWebhook: got %v, want nil", wrap, err)
		}
		sims := f.sim.Webhooks(acct)
		if len(sims) != 2 || created.ID != sims[1].ID || created.SignatureToken != sims[1].SignatureToken || created.URL != hookURL ||
			created.Event != lever.EventStageChange || created.CreatedAt == 0 || !sims[1].ByAPI {
			t.Fatalf("wrap=%v created: got %+v, want the simulator's %+v", wrap, created, sims)
		}

		listed, err := f.client.ListWebhooks(ctx)
		if err != nil || len(listed) != 2 || listed[0].ID != handMade || listed[0].SignatureToken != "hand-secret" || listed[1] != *created {
			t.Fatalf("wrap=%v ListWebhooks: got (%+v, %v), want the hand-made webhook and %+v", wrap, listed, err, *created)
		}
		if pages := f.route("GET /webhooks"); pages != 2 {
			t.Errorf("wrap=%v pages of webhooks: got %d, want 2", wrap, pages)
		}

		if err := f.client.DeleteWebhook(ctx, created.ID); err != nil {
			t.Errorf("wrap=%v DeleteWebhook: got %v, want nil", wrap, err)
		}
		if err := f.client.DeleteWebhook(ctx, created.ID); !errors.Is(err, lever.ErrNotFound) {
			t.Errorf("wrap=%v DeleteWebhook again: got %v, want ErrNotFound", wrap, err)
		}
		err = f.client.DeleteWebhook(ctx, handMade)
		if apiErr, ok := errors.AsType[*lever.APIError](err); !ok || apiErr.StatusCode != 403 || lever.IsRetryable(err) {
			t.Errorf("wrap=%v DeleteWebhook of a hand-made webhook: got %v, want a 403 APIError, not retryable", wrap, err)
		}
		if got := f.sim.Webhooks(acct); len(got) != 1 || got[0].ID != handMade {
			t.Errorf("wrap=%v webhooks left: got %+v, want only the hand-made one", wrap, got)
		}
	}
}

func TestCreateWebhookRejected(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	if _, err := f.client.CreateWebhook(ctx, "candidateMoved", "https://bridge.example/h"); err == nil {
		t.Errorf("unknown event: got nil, want Lever's 400")
	}
	if _, err := f.client.CreateWebhook(ctx, lever.EventStageChange, ""); err == nil {
		t.Errorf("empty url: got nil, want an error before sending")
	}
	f.sim.InjectFault(leversim.Fault{Method: "POST", PathContains: "/webhooks", Status: 500, AfterApply: true})
	if _, err := f.client.CreateWebhook(ctx, lever.EventStageChange, "https://bridge.example/h"); !lever.IsRetryable(err) {
		t.Errorf("500: got %v, want a retryable error for the caller", err)
	}
	if n := f.route("POST /webhooks"); n != 2 {
		t.Errorf("POST /webhooks calls: got %d, want 2 (the 500 not retried)", n)
	}
}

// TestCreateWebhookAnswerShapes reads create answers as written by hand.
func TestCreateWebhookAnswerShapes(t *testing.T) {
	const hook = `{"id":"wh-1","url":"https://b.example/h","event":"candidateStageChange","createdAt":"1700000000000",` +
		`"configuration":{"signatureToken":"sig-1","conditions":{}}}`
	want := lever.WebhookConfig{ID: "wh-1", URL: "https://b.example/h", Event: "candidateStageChange", SignatureToken: "sig-1", CreatedAt: 1700000000000}
	tests := []struct {
		name, body string
		wantErr    string
	}{
		{"data.configuration", `{"data":` + hook + `}`, ""},
		{"data.data.configuration", `{"data":{"data":` + hook + `}}`, ""},
		{"no signature token", `{"data":{"id":"wh-2","configuration":{}}}`, "wh-2 came back without a signature token"},
		{"no id", `{"data":{"configuration":{"signatureToken":"sig-1"}}}`, "no webhook id"},
		{"not json", `<html>`, "decode response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				if r.Method != "POST" || r.URL.Path != "/webhooks" || !strings.Contains(string(b), `"configuration":{}`) {
					t.Errorf("request: got %s %s %s, want POST /webhooks with url, event, configuration {}", r.Method, r.URL.Path, b)
				}
				w.WriteHeader(201)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, _ := lever.New(srv.URL, lever.WithAPIKey("k"))
			cfg, err := c.CreateWebhook(context.Background(), lever.EventStageChange, "https://b.example/h")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got (%+v, %v), want an error about %q", cfg, err, tt.wantErr)
				}
				return
			}
			if err != nil || *cfg != want {
				t.Errorf("got (%+v, %v), want %+v", cfg, err, want)
			}
		})
	}
}

func TestListPostings(t *testing.T) {
	f := newFixture(t, leversim.Options{PageSize: 2, Rate: -1}, lever.WithLimiter(nil))
	f.sim.AddPosting(acct, leversim.Posting{ID: "posting-2", Text: "Frontend", HiringManagerID: userID})
	f.sim.AddPosting(acct, leversim.Posting{ID: "posting-3", Text: "Data", Tags: []string{"sql"}})
	got, err := f.client.ListPostings(context.Background())
	if err != nil {
		t.Fatalf("ListPostings: got %v, want nil", err)
	}
	want := []lever.Posting{
		{ID: postingID, Text: "Backend Engineer", Tags: []string{"asmt-42"}, OwnerID: userID},
		{ID: "posting-2", Text: "Frontend", HiringManagerID: userID},
		{ID: "posting-3", Text: "Data", Tags: []string{"sql"}},
	}
	if len(got) != len(want) {
		t.Fatalf("postings: got %d, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].Text != want[i].Text || strings.Join(got[i].Tags, ",") != strings.Join(want[i].Tags, ",") ||
			got[i].OwnerID != want[i].OwnerID || got[i].HiringManagerID != want[i].HiringManagerID {
			t.Errorf("posting %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if pages := f.route("GET /postings"); pages != 2 {
		t.Errorf("pages fetched: got %d, want 2", pages)
	}
}
