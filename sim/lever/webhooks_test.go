package lever_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

const sigToken = "whsec-1"

// receiver records webhook deliveries and answers status.
type receiver struct {
	mu       sync.Mutex
	hooks    []*lever.Webhook
	agents   []string
	verified []bool
}

func newReceiver(t *testing.T, status int) (*receiver, string) {
	rc := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		wh, err := lever.ParseWebhook(body)
		if err != nil {
			t.Errorf("delivery %s: got %v, want a valid envelope", body, err)
			w.WriteHeader(400)
			return
		}
		rc.mu.Lock()
		rc.hooks = append(rc.hooks, wh)
		rc.agents = append(rc.agents, r.Header.Get("User-Agent"))
		rc.verified = append(rc.verified, wh.Verify(sigToken))
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return rc, srv.URL
}

func TestWebhookDeliveries(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, leversim.Options{})
	rc, url := newReceiver(t, 200)
	for _, ev := range []string{lever.EventStageChange, lever.EventArchiveChange, lever.EventHired, lever.EventDeleted} {
		if id := e.sim.AddWebhook(acct, ev, url, sigToken); id == "" {
			t.Fatalf("AddWebhook(%s): got empty id", ev)
		}
	}
	steps := []func() error{
		func() error { return e.sim.MoveToStage(ctx, acct, oppID, "stage-assess") },
		func() error { return e.sim.Archive(ctx, acct, oppID, "reason-1") },
		func() error { return e.sim.Archive(ctx, acct, oppID, "") },
		func() error { return e.sim.Hire(ctx, acct, oppID) },
		func() error { return e.sim.Delete(ctx, acct, oppID) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: got %v, want nil", i, err)
		}
	}
	if len(rc.hooks) != 5 {
		t.Fatalf("deliveries: got %d, want 5", len(rc.hooks))
	}
	for i, wh := range rc.hooks {
		if !rc.verified[i] || rc.agents[i] != "Lever-Webhooks" || len(wh.Token) != 48 || wh.ID == "" || wh.TriggeredAt == 0 {
			t.Errorf("delivery %d: got %+v verified=%v agent=%q, want signed, Lever-Webhooks, 48-char token", i, wh, rc.verified[i], rc.agents[i])
		}
	}
	sc, err := rc.hooks[0].StageChange()
	want := lever.StageChange{OpportunityID: oppID, CandidateID: oppID, ContactID: "contact-" + oppID, FromStageID: "stage-new", ToStageID: "stage-assess"}
	if rc.hooks[0].Event != lever.EventStageChange || err != nil || sc != want {
		t.Errorf("stage change: got %s %+v (%v), want %+v", rc.hooks[0].Event, sc, err, want)
	}
	ac, err := rc.hooks[1].ArchiveChange()
	if err != nil || ac.ToArchived == nil || ac.ToArchived.Reason != "reason-1" || ac.FromArchived != nil {
		t.Errorf("archive: got %+v (%v), want to reason-1 from nil", ac, err)
	}
	un, err := rc.hooks[2].ArchiveChange()
	if err != nil || un.ToArchived != nil || un.FromArchived == nil || un.FromArchived.Reason != "reason-1" {
		t.Errorf("unarchive: got %+v (%v), want to nil from reason-1", un, err)
	}
	for i, ev := range map[int]string{3: lever.EventHired, 4: lever.EventDeleted} {
		oe, err := rc.hooks[i].OpportunityEvent()
		if rc.hooks[i].Event != ev || err != nil || oe.OpportunityID != oppID {
			t.Errorf("delivery %d: got %s %+v (%v), want %s for %s", i, rc.hooks[i].Event, oe, err, ev, oppID)
		}
	}
	if _, ok := e.sim.Snapshot(acct, oppID); ok {
		t.Errorf("Snapshot after Delete: got found, want gone")
	}
	if r := e.do(t, "GET", "/opportunities/"+oppID, nil); r.status != 404 {
		t.Errorf("GET after Delete: got %d, want 404", r.status)
	}
}

func TestWebhookFailuresReported(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, leversim.Options{})
	_, okURL := newReceiver(t, 204)
	_, badURL := newReceiver(t, 302)
	e.sim.AddWebhook(acct, lever.EventStageChange, okURL, sigToken)
	e.sim.AddWebhook(acct, lever.EventStageChange, badURL, sigToken)
	err := e.sim.MoveToStage(ctx, acct, oppID, "stage-assess")
	if err == nil || !strings.Contains(err.Error(), badURL) || !strings.Contains(err.Error(), "302") || strings.Contains(err.Error(), okURL+" ") {
		t.Fatalf("MoveToStage: got %v, want an error naming %s and 302 only", err, badURL)
	}
	if st, _ := e.sim.Snapshot(acct, oppID); st.StageID != "stage-assess" {
		t.Errorf("stage: got %s, want stage-assess even though a delivery failed", st.StageID)
	}
	for _, bad := range []error{
		e.sim.MoveToStage(ctx, acct, oppID, "no-such-stage"),
		e.sim.MoveToStage(ctx, acct, "no-such-opp", "stage-new"),
		e.sim.Hire(ctx, "no-such-account", oppID),
	} {
		if bad == nil {
			t.Errorf("change on unknown target: got nil, want an error")
		}
	}
}

func TestControlAPI(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	rc, url := newReceiver(t, 200)
	e.sim.AddWebhook(acct, lever.EventStageChange, url, sigToken)
	tests := []struct {
		path string
		body map[string]any
		want int
	}{
		{"/_sim/opportunities/" + oppID + "/stage", map[string]any{"account": acct, "stageId": "stage-assess"}, 204},
		{"/_sim/opportunities/" + oppID + "/stage", map[string]any{"account": acct, "stageId": "nope"}, 400},
		{"/_sim/opportunities/" + oppID + "/explode", map[string]any{"account": acct}, 404},
		{"/v1/_sim/opportunities/" + oppID + "/archive", map[string]any{"account": acct, "reason": "r"}, 204},
	}
	for _, tt := range tests {
		if r := e.do(t, "POST", tt.path, tt.body, "-"); r.status != tt.want {
			t.Errorf("POST %s: got %d %v, want %d", tt.path, r.status, r.body, tt.want)
		}
	}
	st, _ := e.sim.Snapshot(acct, oppID)
	if st.StageID != "stage-assess" || !st.Archived || len(rc.hooks) != 1 {
		t.Errorf("after control calls: got %+v and %d deliveries, want stage-assess, archived, 1 delivery", st, len(rc.hooks))
	}
}
