package service

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/server/temporaltest"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
)

// TestDialTemporalEncryptsHistory: with ASSESSBRIDGE_HISTORY_KEYS set, what our clients send is
// encrypted before it reaches Temporal: the raw history has no plaintext candidate data.
func TestDialTemporalEncryptsHistory(t *testing.T) {
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
	cfg, err := config.Load(func(name string) string {
		return map[string]string{
			"ASSESSBRIDGE_TEMPORAL_ADDRESS":   ts.GetFrontendHostPort(),
			"ASSESSBRIDGE_TEMPORAL_NAMESPACE": ts.GetDefaultNamespace(),
			"ASSESSBRIDGE_HISTORY_KEYS":       "k1:" + key,
		}[name]
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tc, err := DialTemporal(ctx, cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	if _, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "enc", TaskQueue: "none"}, "AnyWorkflow", "jane.doe@example.com"); err != nil {
		t.Fatal(err)
	}
	raw := ts.GetDefaultClient() // no codec: payloads as stored
	it := raw.GetWorkflowHistory(ctx, "enc", "", false, 0)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(ev.String(), "jane.doe") {
			t.Fatalf("plaintext email in event %s", ev.GetEventType())
		}
	}
}
