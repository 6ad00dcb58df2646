package devserver

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

const (
	testTaskQueue    = "devserver-test"
	testWorkflowName = "DevserverGreet"
	testWorkflowID   = "devserver-test/greet"
)

// greet is the tiny workflow the lifecycle test runs to completion.
func greet(_ workflow.Context, name string) (string, error) {
	return "hello, " + name, nil
}

// TestStartRunRestart runs a workflow on a fresh data dir, then restarts on the same dir and
// finds the finished workflow, the retention and the search attributes still in place.
func TestStartRunRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	firstAttrs := map[string]enumspb.IndexedValueType{
		"DevserverStatus": enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		"DevserverScore":  enumspb.INDEXED_VALUE_TYPE_INT,
	}

	cold := startTimed(t, ctx, Config{
		DataDir:          dir,
		Retention:        72 * time.Hour,
		SearchAttributes: firstAttrs,
		Logger:           testLogger(),
	}, "cold")
	if got, want := cold.Namespace(), "default"; got != want {
		t.Errorf("namespace: got %q, want %q", got, want)
	}
	if !strings.HasPrefix(cold.UIAddress(), "http://127.0.0.1:") {
		t.Errorf("ui address: got %q, want http://127.0.0.1:<port>", cold.UIAddress())
	}

	c := dial(t, ctx, cold)
	runID := runGreet(t, ctx, c)
	checkSecondServer(t, ctx, cold, runID)
	checkUI(t, ctx, cold.UIAddress())
	checkSearchAttributes(t, ctx, c, cold.Namespace(), firstAttrs)
	checkRetention(t, ctx, c, cold.Namespace(), 72*time.Hour)
	c.Close()
	stopTimed(t, cold, "cold")

	// A failed start (an attribute's type changed) must leave the file and ports usable.
	_, err := Start(ctx, Config{
		DataDir:          dir,
		UIPort:           -1,
		SearchAttributes: map[string]enumspb.IndexedValueType{"DevserverScore": enumspb.INDEXED_VALUE_TYPE_KEYWORD},
		Logger:           testLogger(),
	})
	if err == nil || !strings.Contains(err.Error(), `"DevserverScore"`) {
		t.Fatalf("start with a changed attribute type: got error %v, want one naming DevserverScore", err)
	}
	t.Logf("start with a changed attribute type failed as wanted: %v", err)

	// Restart on the same file with the default retention, one more attribute and no UI.
	secondAttrs := map[string]enumspb.IndexedValueType{
		"DevserverStatus": enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		"DevserverScore":  enumspb.INDEXED_VALUE_TYPE_INT,
		"DevserverPassed": enumspb.INDEXED_VALUE_TYPE_BOOL,
	}
	warm := startTimed(t, ctx, Config{
		DataDir:          dir,
		UIPort:           -1,
		SearchAttributes: secondAttrs,
		Logger:           testLogger(),
	}, "warm")
	if got := warm.UIAddress(); got != "" {
		t.Errorf("ui address with the ui disabled: got %q, want empty", got)
	}
	c = dial(t, ctx, warm)
	checkCompleted(t, ctx, c, runID)
	checkSearchAttributes(t, ctx, c, warm.Namespace(), secondAttrs)
	checkRetention(t, ctx, c, warm.Namespace(), 30*24*time.Hour)
	c.Close()
	stopTimed(t, warm, "warm")
}

// checkSecondServer runs a second server in the same process beside running: it must keep its
// own data, and a start on running's ports must fail with the port named.
func checkSecondServer(t *testing.T, ctx context.Context, running *Server, runID string) {
	t.Helper()
	other := startTimed(t, ctx, Config{DataDir: t.TempDir(), UIPort: -1}, "second server")
	c := dial(t, ctx, other)
	_, err := c.DescribeWorkflowExecution(ctx, testWorkflowID, runID)
	var notFound *serviceerror.NotFound
	if !errors.As(err, &notFound) {
		t.Errorf("first server's workflow on the second server: got error %v, want NotFound", err)
	}
	c.Close()
	stopTimed(t, other, "second server")

	_, frontendPort, _ := net.SplitHostPort(running.FrontendAddress())
	_, uiPort, _ := net.SplitHostPort(strings.TrimPrefix(running.UIAddress(), "http://"))
	tests := []struct {
		name     string
		cfg      Config
		wantText string
	}{
		{name: "frontend", cfg: Config{FrontendPort: atoi(t, frontendPort), UIPort: -1}, wantText: "frontend port " + frontendPort},
		{name: "ui", cfg: Config{UIPort: atoi(t, uiPort)}, wantText: "ui port " + uiPort},
	}
	for _, tt := range tests {
		tt.cfg.DataDir = t.TempDir()
		s, err := Start(ctx, tt.cfg)
		if err == nil {
			_ = s.Stop()
			t.Fatalf("start on the running server's %s port: got nil error, want one", tt.name)
		}
		if !strings.Contains(err.Error(), tt.wantText) {
			t.Errorf("start on the running server's %s port: got error %q, want it to contain %q", tt.name, err, tt.wantText)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("parse port %q: %v", s, err)
	}
	return n
}

// runGreet runs greet on a worker and returns the run ID.
func runGreet(t *testing.T, ctx context.Context, c client.Client) string {
	t.Helper()
	w := worker.New(c, testTaskQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(greet, workflow.RegisterOptions{Name: testWorkflowName})
	if err := w.Start(); err != nil {
		t.Fatalf("start worker: got error %v, want nil", err)
	}
	defer w.Stop()

	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: testWorkflowID, TaskQueue: testTaskQueue}, testWorkflowName, "devserver")
	if err != nil {
		t.Fatalf("start workflow: got error %v, want nil", err)
	}
	var got string
	if err := run.Get(ctx, &got); err != nil {
		t.Fatalf("workflow result: got error %v, want nil", err)
	}
	if want := "hello, devserver"; got != want {
		t.Fatalf("workflow result: got %q, want %q", got, want)
	}
	return run.GetRunID()
}

// checkUI asserts the UI serves its page and reaches this server's frontend.
func checkUI(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	tests := []struct {
		path     string
		wantBody string
	}{
		{path: "/", wantBody: "<html"},
		{path: "/healthz", wantBody: "OK"},
		{path: "/api/v1/namespaces", wantBody: `"default"`},
	}
	for _, tt := range tests {
		code, body := httpGet(t, ctx, base+tt.path)
		if code != http.StatusOK {
			t.Errorf("GET %s: got status %d, want %d", tt.path, code, http.StatusOK)
		}
		if !strings.Contains(body, tt.wantBody) {
			t.Errorf("GET %s: got body without %q, want it included", tt.path, tt.wantBody)
		}
	}
}

func checkSearchAttributes(t *testing.T, ctx context.Context, c client.Client, ns string, want map[string]enumspb.IndexedValueType) {
	t.Helper()
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: ns})
	if err != nil {
		t.Fatalf("list search attributes: got error %v, want nil", err)
	}
	for name, typ := range want {
		if got, ok := resp.GetCustomAttributes()[name]; !ok || got != typ {
			t.Errorf("search attribute %s: got %v (listed %t), want %v", name, got, ok, typ)
		}
	}
}

func checkRetention(t *testing.T, ctx context.Context, c client.Client, ns string, want time.Duration) {
	t.Helper()
	resp, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: ns})
	if err != nil {
		t.Fatalf("describe namespace: got error %v, want nil", err)
	}
	if got := resp.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(); got != want {
		t.Errorf("retention: got %s, want %s", got, want)
	}
}

// checkCompleted asserts the workflow finished before the restart is still described and
// its history still ends in completion.
func checkCompleted(t *testing.T, ctx context.Context, c client.Client, runID string) {
	t.Helper()
	desc, err := c.DescribeWorkflowExecution(ctx, testWorkflowID, runID)
	if err != nil {
		t.Fatalf("describe workflow after restart: got error %v, want nil", err)
	}
	if got, want := desc.GetWorkflowExecutionInfo().GetStatus(), enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED; got != want {
		t.Errorf("workflow status after restart: got %v, want %v", got, want)
	}
	it := c.GetWorkflowHistory(ctx, testWorkflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var last enumspb.EventType
	events := 0
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("read history after restart: got error %v, want nil", err)
		}
		last = ev.GetEventType()
		events++
	}
	if events == 0 || last != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED {
		t.Errorf("history after restart: got %d events ending in %v, want >0 ending in %v", events, last, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
	}
}
