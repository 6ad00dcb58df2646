package lever_test

import (
	"context"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestWebhooksAPICreateListDeliver(t *testing.T) {
	for _, wrap := range []bool{false, true} {
		e := newEnv(t, leversim.Options{WrapWebhookCreate: wrap})
		rc, url := newReceiver(t, 200)
		handMade := e.sim.AddWebhook(acct, lever.EventHired, url, sigToken)

		r := e.do(t, "POST", "/webhooks", map[string]any{"url": url, "event": lever.EventStageChange,
			"configuration": map[string]any{"conditions": map[string]any{"origins": []string{"applied"}}}})
		created := r.data(t)
		if wrap {
			created, _ = created["data"].(map[string]any)
		}
		cfg, _ := created["configuration"].(map[string]any)
		secret, _ := cfg["signatureToken"].(string)
		if r.status != 201 || created["id"] == "" || created["url"] != url || created["event"] != lever.EventStageChange || secret == "" || created["createdAt"] == nil {
			t.Fatalf("wrap=%v create: got %d %v, want 201 with id, url, event, configuration.signatureToken, createdAt", wrap, r.status, r.body)
		}
		if conds, _ := cfg["conditions"].(map[string]any); conds["origins"] == nil {
			t.Errorf("wrap=%v conditions: got %v, want the ones sent", wrap, cfg["conditions"])
		}

		list := e.do(t, "GET", "/webhooks", nil)
		items := list.list(t)
		if list.status != 200 || len(items) != 2 || list.body["hasNext"] != false {
			t.Fatalf("wrap=%v list: got %d %v, want both webhooks, hasNext false", wrap, list.status, list.body)
		}
		listed := items[1].(map[string]any)
		if listed["id"] != created["id"] || listed["configuration"].(map[string]any)["signatureToken"] != secret {
			t.Errorf("wrap=%v listed: got %v, want the created webhook with its token", wrap, listed)
		}
		if first := items[0].(map[string]any); first["id"] != handMade || first["configuration"].(map[string]any)["conditions"] == nil {
			t.Errorf("wrap=%v hand-made listed: got %v, want id %s and empty conditions", wrap, first, handMade)
		}
		want := []leversim.WebhookInfo{
			{ID: handMade, URL: url, Event: lever.EventHired, SignatureToken: sigToken},
			{ID: created["id"].(string), URL: url, Event: lever.EventStageChange, SignatureToken: secret, ByAPI: true},
		}
		if got := e.sim.Webhooks(acct); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("wrap=%v Webhooks: got %+v, want %+v", wrap, got, want)
		}

		if err := e.sim.MoveToStage(context.Background(), acct, oppID, "stage-assess"); err != nil {
			t.Fatalf("MoveToStage: got %v, want nil", err)
		}
		if len(rc.hooks) != 1 || rc.hooks[0].Event != lever.EventStageChange || !rc.hooks[0].Verify(secret) {
			t.Errorf("wrap=%v deliveries: got %d, want one stage change signed with the created token", wrap, len(rc.hooks))
		}
	}
}

func TestWebhooksAPICreateRejects(t *testing.T) {
	e := newEnv(t, leversim.Options{Rate: -1})
	tests := []struct {
		name string
		body any
		want int
	}{
		{"https", map[string]any{"url": "https://bridge.example/webhooks/lever/a", "event": lever.EventArchiveChange}, 201},
		{"http localhost", map[string]any{"url": "http://localhost:8080/hook", "event": lever.EventHired}, 201},
		{"http loopback", map[string]any{"url": "http://127.0.0.1:9/hook", "event": lever.EventDeleted, "configuration": map[string]any{}}, 201},
		{"http elsewhere", map[string]any{"url": "http://bridge.example/hook", "event": lever.EventHired}, 400},
		{"relative url", map[string]any{"url": "/hook", "event": lever.EventHired}, 400},
		{"no url", map[string]any{"event": lever.EventHired}, 400},
		{"unknown event", map[string]any{"url": "https://bridge.example/hook", "event": "candidateMoved"}, 400},
		{"no event", map[string]any{"url": "https://bridge.example/hook"}, 400},
		{"not an object", "x", 400},
	}
	for _, tt := range tests {
		r := e.do(t, "POST", "/webhooks", tt.body)
		if r.status != tt.want || (tt.want == 400 && r.body["code"] != "BadRequestError") {
			t.Errorf("%s: got %d %v, want %d", tt.name, r.status, r.body, tt.want)
		}
	}
	if got := len(e.sim.Webhooks(acct)); got != 3 {
		t.Errorf("webhooks: got %d, want the 3 accepted", got)
	}
}

func TestWebhooksAPIDelete(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	rc, url := newReceiver(t, 200)
	handMade := e.sim.AddWebhook(acct, lever.EventStageChange, url, sigToken)
	byAPI := e.do(t, "POST", "/webhooks", map[string]any{"url": url, "event": lever.EventStageChange}).data(t)["id"].(string)
	tests := []struct {
		name, id string
		want     int
		wantCode string
	}{
		{"created by API", byAPI, 204, ""},
		{"already deleted", byAPI, 404, "ResourceNotFound"},
		{"unknown", "no-such-webhook", 404, "ResourceNotFound"},
		{"made by hand", handMade, 403, "Forbidden"},
	}
	for _, tt := range tests {
		r := e.do(t, "DELETE", "/webhooks/"+tt.id, nil)
		if r.status != tt.want || (tt.wantCode != "" && r.body["code"] != tt.wantCode) || (tt.want == 204 && r.body != nil) {
			t.Errorf("%s: got %d %v, want %d %s", tt.name, r.status, r.body, tt.want, tt.wantCode)
		}
	}
	if got := e.sim.Webhooks(acct); len(got) != 1 || got[0].ID != handMade {
		t.Errorf("Webhooks after delete: got %+v, want only the hand-made one", got)
	}
	if err := e.sim.MoveToStage(context.Background(), acct, oppID, "stage-assess"); err != nil || len(rc.hooks) != 1 {
		t.Errorf("deliveries after delete: got %d (%v), want 1 (the hand-made webhook)", len(rc.hooks), err)
	}
}

func TestListPostings(t *testing.T) {
	e := newEnv(t, leversim.Options{PageSize: 2, Rate: -1})
	e.sim.AddPosting(acct, leversim.Posting{ID: "posting-3", Text: "Data", OwnerID: userID})
	e.sim.AddPosting(acct, leversim.Posting{ID: "posting-2", Text: "Frontend", HiringManagerID: userID})
	var ids []any
	path := "/postings"
	for pages := 1; ; pages++ {
		r := e.do(t, "GET", path, nil)
		for _, p := range r.list(t) {
			ids = append(ids, p.(map[string]any)["id"])
		}
		if r.body["hasNext"] != true {
			if pages != 2 {
				t.Errorf("pages: got %d, want 2", pages)
			}
			break
		}
		path = "/postings?offset=" + r.body["next"].(string)
	}
	if len(ids) != 3 || ids[0] != "posting-1" || ids[1] != "posting-2" || ids[2] != "posting-3" {
		t.Errorf("posting ids: got %v, want posting-1..3 in order", ids)
	}
}
