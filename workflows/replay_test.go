package workflows

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedHistories replays histories recorded from real runs (v0_: before the
// lifecycle change, v1_: after it, v4_: today's journey, with one Lever write at a time per
// candidate; e2e tests with ASSESSBRIDGE_RECORD_HISTORY=<dir>) against today's workflow code: a
// change that would break running workflows fails here. Before the first release nothing runs
// that needs protecting, so such a change re-records the histories (v2_ and v3_, with tags
// written two at a time, were replaced by v4_); from then on it goes behind workflow.GetVersion.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("recorded histories: got %d in testdata, want at least 2", len(files))
	}
	logger := log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflowWithOptions(CandidateAssessment, workflowRegisterOptions())
			if err := r.ReplayWorkflowHistoryFromJSONFile(logger, f); err != nil {
				t.Errorf("replay %s: %v", f, err)
			}
		})
	}
}
