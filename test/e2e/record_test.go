package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"

	"github.com/assessbridge/assessbridge/workflows"
)

// recordEnv names a directory to write the finished workflows' histories to, for the replay
// test in workflows/testdata. Unset, nothing is written.
const recordEnv = "ASSESSBRIDGE_RECORD_HISTORY"

func (s *stack) recordHistory(t *testing.T, opportunityID, name string) {
	t.Helper()
	dir := os.Getenv(recordEnv)
	if dir == "" {
		return
	}
	ctx := context.Background()
	it := s.temporal.GetWorkflowHistory(ctx, workflows.WorkflowID(account, opportunityID), "", false, 0)
	hist := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("read history: %v", err)
		}
		hist.Events = append(hist.Events, ev)
	}
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
