package devstack_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/devstack"
	"github.com/assessbridge/assessbridge/service"
	"github.com/assessbridge/assessbridge/workflows"
)

func testConfig(t *testing.T, dir string) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir, cfg.StoreDSN = dir, dir+"/assessbridge.db"
	cfg.HTTPAddr, cfg.PublicURL = "127.0.0.1:0", ""
	cfg.UIPort, cfg.TemporalPort = 0, 0
	return cfg
}

func start(t *testing.T, dir string) *devstack.Stack {
	t.Helper()
	cfg := testConfig(t, dir)
	cfg.PublicURL = "http://" + cfg.HTTPAddr
	s, err := devstack.Start(context.Background(), devstack.Options{Config: cfg, WithSims: true})
	if err != nil {
		t.Fatalf("start dev stack: %v", err)
	}
	return s
}

// TestDevStackJourneySurvivesRestart runs the scripted demo on the embedded stack, restarts the
// stack on the same data directory and finds every workflow's history intact.
func TestDevStackJourneySurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := start(t, dir)
	var out strings.Builder
	if err := devstack.RunDemo(ctx, s, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	var ids []string
	for _, inv := range s.Sims.Platform.Invitations() {
		ids = append(ids, inv.Reference)
	}
	if len(ids) != 4 {
		t.Fatalf("invitations: got %d, want 4", len(ids))
	}
	// The simulators' read-only view shows what the journeys wrote to Lever and the platform.
	var st devstack.State
	getJSON(t, s.Sims.LeverURL+devstack.StatePath+"?format=json", &st)
	var notes, feedback int
	for _, o := range st.Accounts[0].Opportunities {
		notes, feedback = notes+len(o.Notes), feedback+len(o.Feedback)
	}
	if notes != 4 || feedback != 4 || len(st.Invitations) != 4 {
		t.Errorf("state view: got %d notes, %d feedback forms, %d invitations; want 4 of each", notes, feedback, len(st.Invitations))
	}
	resp, err := http.Get(s.UIURL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(strings.ToLower(string(body)), "<html") {
		t.Errorf("Web UI: got %d and %.60q, want 200 and HTML", resp.StatusCode, body)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}

	s2 := start(t, dir)
	defer s2.Stop()
	for _, id := range ids {
		var res workflows.Result
		if err := s2.Temporal.GetWorkflow(ctx, id, "").Get(ctx, &res); err != nil {
			t.Errorf("%s after restart: %v", id, err)
			continue
		}
		if res.Step != workflows.StepCompleted {
			t.Errorf("%s after restart: got step %q, want %q", id, res.Step, workflows.StepCompleted)
		}
	}
	// The store kept the demo account and its catalogue too.
	if as, err := s2.Store.Assessments(ctx, devstack.DemoAccount); err != nil || len(as) != len(devstack.DemoAssessments) {
		t.Errorf("catalogue after restart: got %v, %v", as, err)
	}
	// After a restart the suggested command still starts a journey: Ada's has not run yet.
	if try := strings.Join(s2.TryLines(ctx), "\n"); !strings.Contains(try, "cand-ada/stage") || !strings.Contains(try, "forget everything on restart") {
		t.Errorf("try lines: got %q, want Ada's stage move and the restart warning", try)
	}

	// An operator command pointed at this data directory names the files dev keeps its keys in.
	cfg, err := config.LoadEnviron([]string{"ASSESSBRIDGE_DATA_DIR=" + dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = service.OpenStore(ctx, cfg)
	for _, want := range []string{"ASSESSBRIDGE_SECRET_KEY", dir + "/secret.key"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("open store without the key: got %v, want it to name %s", err, want)
		}
	}
	if err := cfg.CheckOperator(false); err == nil || !strings.Contains(err.Error(), dir+"/history.keys") {
		t.Errorf("operator check: got %v, want it to name %s/history.keys", err, dir)
	}
}

// TestTryLinesAfterJourney: once a seeded candidate's journey ran, the banner suggests another.
func TestTryLinesAfterJourney(t *testing.T) {
	s := start(t, t.TempDir())
	defer s.Stop()
	ctx := context.Background()
	resp, err := http.Post(s.Sims.LeverURL+"/_sim/opportunities/cand-ada/stage", "application/json",
		strings.NewReader(`{"account":"demo","stageId":"`+devstack.DemoTriggerStage+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitFor(t, func() bool { return !strings.Contains(strings.Join(s.TryLines(ctx), "\n"), "cand-ada/") })
	if try := strings.Join(s.TryLines(ctx), "\n"); !strings.Contains(try, "cand-grace/stage") {
		t.Errorf("try lines: got %q, want Grace's stage move", try)
	}
}

func TestPortInUseIsAClearError(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir)
	defer s.Stop()
	cfg := testConfig(t, t.TempDir())
	cfg.HTTPAddr = strings.TrimPrefix(s.HTTPURL(), "http://")
	_, err := devstack.Start(context.Background(), devstack.Options{Config: cfg})
	if err == nil || !strings.Contains(err.Error(), cfg.HTTPAddr) {
		t.Fatalf("start on a taken port: got %v, want an error naming %s", err, cfg.HTTPAddr)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
