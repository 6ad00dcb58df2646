package platform_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
)

// callbackSink verifies callbacks and hands them over on a channel; the first refuse answers
// are 503, as from a busy front door.
type callbackSink struct {
	got    chan assessment.Callback
	refuse atomic.Int32
}

func (c *callbackSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := assessment.VerifySignature(secret, r.Header.Get(assessment.SignatureHeader), body, time.Now(), time.Minute); err != nil {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if c.refuse.Add(-1) >= 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	cb, err := assessment.ParseCallback(body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	c.got <- *cb
	w.WriteHeader(http.StatusOK)
}

func autoEnv(t *testing.T, play *platformsim.AutoPlay, refuse int32) (*platformsim.Server, *assessment.Client, *callbackSink, *httptest.Server) {
	t.Helper()
	sink := &callbackSink{got: make(chan assessment.Callback, 16)}
	sink.refuse.Store(refuse)
	cbSrv := httptest.NewServer(sink)
	t.Cleanup(cbSrv.Close)
	sim := platformsim.New(platformsim.Options{APIKey: apiKey, CallbackURL: cbSrv.URL, CallbackSecret: secret, AutoPlay: play})
	sim.AddAssessment("asmt-1", "Go Backend")
	api := httptest.NewServer(sim)
	t.Cleanup(api.Close)
	t.Cleanup(func() { sim.SetAutoPlay(nil) })
	c, err := assessment.NewClient(api.URL, apiKey)
	if err != nil {
		t.Fatalf("NewClient error = %v, want nil", err)
	}
	return sim, c, sink, api
}

func inviteKey(t *testing.T, c *assessment.Client, key string) assessment.Invitation {
	t.Helper()
	inv, err := c.Invite(context.Background(), assessment.InviteRequest{IdempotencyKey: key, AssessmentID: "asmt-1",
		Reference: key, Candidate: assessment.Candidate{Email: "cand@example.com"}})
	if err != nil {
		t.Fatalf("Invite error = %v, want nil", err)
	}
	return inv
}

func next(t *testing.T, ch <-chan assessment.Callback) assessment.Callback {
	t.Helper()
	select {
	case cb := <-ch:
		return cb
	case <-time.After(10 * time.Second):
		t.Fatal("no callback within 10s")
		return assessment.Callback{}
	}
}

func TestAutoPlay(t *testing.T) {
	score := func(v float64) *float64 { return &v }
	results := []assessment.Result{
		{Score: score(10), MaxScore: score(100)},
		{Score: score(90), MaxScore: score(100)},
	}
	tests := []struct {
		name       string
		play       platformsim.AutoPlay
		refuse     int32
		wantEvents []string
		wantStats  platformsim.AutoPlayStats
	}{
		{
			name:       "start then submit with the chosen scores in turn",
			play:       platformsim.AutoPlay{Results: results},
			wantEvents: []string{assessment.EventStarted, assessment.EventSubmitted},
			wantStats:  platformsim.AutoPlayStats{Started: 2, Submitted: 2},
		},
		{
			name:       "submitted alone",
			play:       platformsim.AutoPlay{SkipStart: true, Results: results},
			wantEvents: []string{assessment.EventSubmitted},
			wantStats:  platformsim.AutoPlayStats{Submitted: 2},
		},
		{
			name:       "a refused callback is tried again",
			play:       platformsim.AutoPlay{SkipStart: true, Results: results, RetryGap: time.Millisecond},
			refuse:     2,
			wantEvents: []string{assessment.EventSubmitted},
			wantStats:  platformsim.AutoPlayStats{Submitted: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, c, sink, _ := autoEnv(t, &tt.play, tt.refuse)
			for i, key := range []string{"wf-1", "wf-2"} {
				inviteKey(t, c, key)
				var sub assessment.Callback
				for _, want := range tt.wantEvents {
					cb := next(t, sink.got)
					if cb.Event != want || cb.Reference != key {
						t.Fatalf("callback: got %s for %s, want %s for %s", cb.Event, cb.Reference, want, key)
					}
					sub = cb
				}
				if sub.Result == nil || *sub.Result.Score != *results[i].Score {
					t.Errorf("%s result: got %+v, want score %v", key, sub.Result, *results[i].Score)
				}
			}
			waitStats(t, sim, tt.wantStats)
		})
	}
}

func TestAutoPlayCancelledAndOff(t *testing.T) {
	// A second leaves ample time to cancel first, even on a busy machine.
	sim, c, sink, _ := autoEnv(t, &platformsim.AutoPlay{StartAfter: time.Second}, 0)
	inv := inviteKey(t, c, "wf-cancelled")
	if err := c.Cancel(context.Background(), inv.ID); err != nil {
		t.Fatalf("Cancel error = %v, want nil", err)
	}
	waitStats(t, sim, platformsim.AutoPlayStats{Skipped: 1})

	sim.SetAutoPlay(nil)
	inviteKey(t, c, "wf-off")
	sim.SetAutoPlay(&platformsim.AutoPlay{})
	inviteKey(t, c, "wf-on")
	for _, want := range []string{assessment.EventStarted, assessment.EventSubmitted} {
		if cb := next(t, sink.got); cb.Reference != "wf-on" || cb.Event != want {
			t.Errorf("callback: got %s for %s, want %s for wf-on (wf-off was invited while auto-play was off)", cb.Event, cb.Reference, want)
		}
	}
	if got, _ := sim.InvitationByReference("wf-off"); got.Status != assessment.StatusInvited {
		t.Errorf("wf-off status: got %q, want %q", got.Status, assessment.StatusInvited)
	}
}

func TestAutoPlayControl(t *testing.T) {
	sim, c, sink, api := autoEnv(t, nil, 0)
	tests := []struct {
		method, body string
		want         int
	}{
		{http.MethodPut, `{"start_after":"1ms","submit_after":"1ms","results":[{"score":5,"max_score":10}]}`, 204},
		{http.MethodPut, `{"start_after":"soon"}`, 400},
		{http.MethodGet, "", 200},
		{http.MethodPost, "", 405},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, api.URL+"/_sim/autoplay", strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s /_sim/autoplay %s: got %d, want %d", tt.method, tt.body, resp.StatusCode, tt.want)
		}
	}
	inviteKey(t, c, "wf-1")
	next(t, sink.got)
	if cb := next(t, sink.got); cb.Result == nil || *cb.Result.Score != 5 {
		t.Errorf("submitted result: got %+v, want score 5", cb.Result)
	}
	waitStats(t, sim, platformsim.AutoPlayStats{Started: 1, Submitted: 1})
	resp, err := http.Get(api.URL + "/_sim/autoplay")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st platformsim.AutoPlayStats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil || st.Submitted != 1 {
		t.Errorf("GET /_sim/autoplay: got %+v (%v), want Submitted 1", st, err)
	}
	req, _ := http.NewRequest(http.MethodDelete, api.URL+"/_sim/autoplay", nil)
	del, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	del.Body.Close()
	if del.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE /_sim/autoplay: got %d, want 204", del.StatusCode)
	}
}

// waitStats waits for the counters to settle on want: they are bumped after the callback.
func waitStats(t *testing.T, sim *platformsim.Server, want platformsim.AutoPlayStats) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := sim.AutoPlayStats()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("auto-play stats: got %+v, want %+v", got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
