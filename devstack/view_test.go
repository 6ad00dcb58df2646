package devstack_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/assessbridge/assessbridge/devstack"
)

// TestSimsOnly: the simulators alone deliver Lever's webhooks to the configured front door, and
// their read-only view lists the seeded candidates, in HTML and JSON, from either address.
func TestSimsOnly(t *testing.T) {
	var mu sync.Mutex
	var deliveries []string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		deliveries = append(deliveries, r.URL.Path)
		mu.Unlock()
	}))
	defer front.Close()
	cfg := testConfig(t, t.TempDir())
	cfg.PublicURL = front.URL
	sims, simCfg, err := devstack.StartSims(context.Background(), devstack.Options{Config: cfg, WithSims: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sims.Stop()
	if simCfg.LeverAPIURL != sims.LeverURL || simCfg.PlatformURL != sims.PlatformURL {
		t.Errorf("config: got Lever %s and platform %s, want the simulators", simCfg.LeverAPIURL, simCfg.PlatformURL)
	}

	resp, err := http.Post(sims.LeverURL+"/_sim/opportunities/cand-ada/stage", "application/json",
		strings.NewReader(`{"account":"demo","stageId":"`+devstack.DemoTriggerStage+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	got := strings.Join(deliveries, ",")
	mu.Unlock()
	if !strings.Contains(got, "/webhooks/lever/demo") {
		t.Errorf("webhooks delivered to the front door: got %q, want /webhooks/lever/demo", got)
	}

	var st devstack.State
	getJSON(t, sims.PlatformURL+devstack.StatePath+"?format=json", &st)
	if len(st.Accounts) != 1 || st.Accounts[0].ID != devstack.DemoAccount || len(st.Accounts[0].Opportunities) != len(devstack.DemoCandidates) {
		t.Fatalf("state: got %+v, want the demo account with %d candidates", st, len(devstack.DemoCandidates))
	}
	if o := st.Accounts[0].Opportunities[0]; o.ID != "cand-ada" || o.StageID != devstack.DemoTriggerStage {
		t.Errorf("state: got %+v, want cand-ada in the trigger stage", o)
	}
	page := get(t, sims.LeverURL+devstack.StatePath)
	for _, want := range []string{"Ada Lovelace", "forgets it all", "Platform invitations"} {
		if !strings.Contains(page, want) {
			t.Errorf("state page: no %q in %.200q", want, page)
		}
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d, %v", url, resp.StatusCode, err)
	}
	return string(b)
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(get(t, url)), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
