package logging

import (
	"testing"

	"go.temporal.io/sdk/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func TestSnakeCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"WorkflowID", "workflow_id"},
		{"ActivityRunID", "activity_run_id"},
		{"TaskQueue", "task_queue"},
		{"Attempt", "attempt"},
		{"IDFoo", "id_foo"},
		{"opportunity_id", "opportunity_id"},
		{"Error", "error"},
		{"v2Key", "v2_key"},
	}
	for _, tt := range tests {
		if got := snakeCase(tt.in); got != tt.want {
			t.Errorf("snakeCase(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTemporalUsesOurKeys: what the SDK logs, with its own tags and With, arrives with the keys
// the rest of our logs use, so workflow_id finds a journey's lines wherever they came from.
func TestTemporalUsesOurKeys(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	l := Temporal(zap.New(core)).(log.WithLogger).With("WorkflowID", "lever/acme/opp-1", "RunID", "r1")
	l.Info("ExecuteActivity", "ActivityType", "Invite", "Attempt", 1)
	l.Debug("debug too")
	entries := logs.All()
	if len(entries) != 2 {
		t.Fatalf("entries: got %d, want 2", len(entries))
	}
	got := entries[0].ContextMap()
	want := map[string]any{"workflow_id": "lever/acme/opp-1", "run_id": "r1", "activity_type": "Invite", "attempt": int64(1)}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v (%T), want %v", k, got[k], got[k], v)
		}
	}
	if _, ok := got["WorkflowID"]; ok {
		t.Errorf("the SDK's own key WorkflowID is still there: %v", got)
	}
}

func TestFormats(t *testing.T) {
	for name, build := range map[string]func(string) (*zap.Logger, error){"json": New, "console": NewConsole} {
		if _, err := build("info"); err != nil {
			t.Errorf("%s: got %v, want a logger", name, err)
		}
		if _, err := build("loud"); err == nil {
			t.Errorf("%s at level loud: got a logger, want an error", name)
		}
	}
}
