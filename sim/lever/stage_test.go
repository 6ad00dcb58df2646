package lever_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// events waits until the receiver holds n deliveries (API writes deliver after answering)
// and returns their event names.
func (rc *receiver) events(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rc.mu.Lock()
		var got []string
		for _, h := range rc.hooks {
			got = append(got, h.Event)
		}
		rc.mu.Unlock()
		if len(got) >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestChangeStageAPI(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	rc, url := newReceiver(t, 200)
	e.sim.AddWebhook(acct, lever.EventStageChange, url, sigToken)
	path := "/v1/opportunities/" + oppID + "/stage"
	tests := []struct {
		name, path, query string
		body              any
		want              int
		wantCode          string
	}{
		{"no stage", path, "", map[string]any{}, 400, "BadRequestError"},
		{"unknown stage", path, "", map[string]any{"stage": "stage-nope"}, 400, "BadRequestError"},
		{"unknown perform_as", path, "?perform_as=ghost", map[string]any{"stage": "stage-assess"}, 400, "BadRequestError"},
		{"unknown opportunity", "/v1/opportunities/nope/stage", "", map[string]any{"stage": "stage-assess"}, 404, "ResourceNotFound"},
		{"not json", path, "", "stage-assess", 400, "BadRequestError"},
		{"move", path, "?perform_as=" + userID, map[string]any{"stage": "stage-assess"}, 200, ""},
		{"same stage again", path, "", map[string]any{"stage": "stage-assess"}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "PUT", tt.path+tt.query, tt.body)
			if r.status != tt.want || (tt.wantCode != "" && r.body["code"] != tt.wantCode) {
				t.Fatalf("status: got %d %v, want %d %s", r.status, r.body, tt.want, tt.wantCode)
			}
			if r.status == 200 && r.data(t)["stage"] != "stage-assess" {
				t.Errorf("answer: got stage %v, want stage-assess", r.data(t)["stage"])
			}
		})
	}
	if got := rc.events(t, 1); len(got) != 1 {
		t.Fatalf("deliveries: got %q, want one stage change (none for a no-op or a rejection)", got)
	}
	sc, err := rc.hooks[0].StageChange()
	want := lever.StageChange{OpportunityID: oppID, CandidateID: oppID, ContactID: "contact-" + oppID, FromStageID: "stage-new", ToStageID: "stage-assess"}
	if err != nil || sc != want || !rc.verified[0] {
		t.Errorf("stage change: got %+v (%v, verified %v), want %+v signed", sc, err, rc.verified[0], want)
	}
	if st, _ := e.sim.Snapshot(acct, oppID); st.StageID != "stage-assess" {
		t.Errorf("stage: got %s, want stage-assess", st.StageID)
	}
	if n := e.sim.Calls(acct).ByRoute["PUT /opportunities/:id/stage"]; n != len(tests) {
		t.Errorf("counted calls: got %d, want %d", n, len(tests))
	}
}

// TestAPIWriteSucceedsWhenDeliveryFails: Lever answers a write whatever its webhook
// receivers do.
func TestAPIWriteSucceedsWhenDeliveryFails(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	e.sim.AddWebhook(acct, lever.EventStageChange, "http://127.0.0.1:1/unreachable", sigToken)
	if r := e.do(t, "PUT", "/opportunities/"+oppID+"/stage", map[string]any{"stage": "stage-assess"}); r.status != 200 {
		t.Errorf("PUT stage: got %d %v, want 200", r.status, r.body)
	}
}

// TestAPIWriteAnswersBeforeDelivering: like Lever, the write is answered first and the
// webhook follows, so a receiver that calls back into the API cannot deadlock the writer.
func TestAPIWriteAnswersBeforeDelivering(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	release, arrived := make(chan struct{}), make(chan struct{}, 1)
	hold := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
	}))
	t.Cleanup(hold.Close)
	e.sim.AddWebhook(acct, lever.EventStageChange, hold.URL, sigToken)
	answered := make(chan int, 1)
	go func() { // no t.Fatal off the test goroutine: report the status, 0 for no answer
		req, _ := http.NewRequest("PUT", e.srv.URL+"/opportunities/"+oppID+"/stage", stringsReader(`{"stage":"stage-assess"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-arrived // the delivery is under way and held
	select {
	case status := <-answered:
		if status != 200 {
			t.Errorf("PUT stage: got %d, want 200", status)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("PUT stage: got no answer while the webhook was held, want one at once")
	}
	close(release)
}
