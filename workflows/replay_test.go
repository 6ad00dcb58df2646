package workflows

import (
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
)

// recordedEndings are the histories in testdata, one per way a journey ends, recorded by the e2e
// tests with ASSESSBRIDGE_RECORD_HISTORY=<dir>.
var recordedEndings = []string{
	"journey_started_submitted.json",              // completed: started, then submitted
	"journey_submitted_first_retried_writes.json", // completed: submitted first, Lever writes retried
	"journey_completion_pass.json",                // completed: passed, moved on, report attached
	"journey_completion_fail.json",                // completed: failed, moved to the fallback stage
	"journey_completion_moved.json",               // completed: not moved, a person moved them
	"journey_flagged.json",                        // completed: flagged submission
	"journey_invalid_score.json",                  // failed: a score that cannot be rated
	"journey_archived.json",                       // cancelled: archived in Lever
	"journey_cancelled.json",                      // cancelled: an operator's cancel signal
	"journey_expired.json",                        // expired after a reminder
	"journey_extended.json",                       // deadline extended, then completed
	"journey_reinvited.json",                      // re-invited, then completed
	"journey_archive_kept.json",                   // archive pending, kept by a recruiter
	"journey_disconnected_resumed.json",           // Lever disconnected, resumed on reconnect
	"journey_no_assessment_told.json",             // no assessment: the recruiter told in Lever
	"journey_step_with_assessment.json",           // completed: the assessment upserted with the inviting step
}

// TestReplayRecordedHistories replays the recorded histories against today's workflow code: a
// change that would break running workflows fails here. Before the first release nothing runs
// that needs protecting, so such a change re-records them all; from then on it is patched with
// workflow.GetVersion (see TestPatchingExample) and the histories from before it stay here.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range recordedEndings {
		if !slices.Contains(files, filepath.Join("testdata", name)) {
			t.Errorf("recorded histories: %s missing from testdata", name)
		}
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
