package codec

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"

	"github.com/assessbridge/assessbridge/devserver"
)

// Candidates of the end-to-end tests: jane goes through clients with the codec; the control
// candidate is started by a client without it, to show that the checks do see plaintext.
var (
	jane    = candidate{Name: "Jane Doe", Email: testEmail}
	control = candidate{Name: "Carl Control", Email: "carl.control@example.com"}
)

// TestTemporalHistoryIsEncrypted runs a workflow through clients and a worker using the codec
// on a real (in-memory) Temporal server, then reads the stored history without the codec.
func TestTemporalHistoryIsEncrypted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dc, err := DataConverter(testKeys("k1"))
	if err != nil {
		t.Fatalf("DataConverter: got error %v, want nil", err)
	}
	ts := temporaltest.NewServer(temporaltest.WithT(t),
		temporaltest.WithBaseClientOptions(client.Options{DataConverter: dc, Logger: quietLogger()}))
	withCodec := ts.GetDefaultClient()
	raw := ts.NewClientWithOptions(client.Options{Logger: quietLogger()})
	ts.NewWorker(e2eTaskQueue, registerScore)

	runScore(t, ctx, withCodec, "codec/jane", jane)
	// Started before encryption, so to speak: the codec worker reads the plaintext input.
	startScore(t, ctx, raw, "codec/control", control)
	waitScore(t, ctx, withCodec, "codec/control", control)

	events := rawHistory(t, ctx, raw, "codec/jane")
	if len(events) < 4 {
		t.Fatalf("history of codec/jane: got %d events, want at least 4", len(events))
	}
	for _, s := range []string{jane.Email, "jane.doe", jane.Name} {
		if hits := eventsContaining(t, events, s); len(hits) > 0 {
			t.Errorf("raw history of codec/jane: got %q in events %v, want it nowhere", s, hits)
		}
	}
	started := events[0].GetWorkflowExecutionStartedEventAttributes()
	if started == nil {
		t.Fatalf("first event: got %v, want WorkflowExecutionStarted", events[0].GetEventType())
	}
	if got := string(started.GetInput().GetPayloads()[0].GetMetadata()["encoding"]); got != EncodingEncrypted {
		t.Errorf("stored input encoding: got %q, want %q", got, EncodingEncrypted)
	}
	var in candidate
	if err := dc.FromPayloads(started.GetInput(), &in); err != nil || in != jane {
		t.Errorf("stored input through the codec: got %+v, %v, want %+v, nil", in, err, jane)
	}
	var out candidate
	if err := raw.GetWorkflow(ctx, "codec/jane", "").Get(ctx, &out); err == nil {
		t.Errorf("result through a client without the codec: got %+v, nil error, want an error", out)
	}

	controlEvents := rawHistory(t, ctx, raw, "codec/control")
	if hits := eventsContaining(t, controlEvents, control.Email); len(hits) != 1 || hits[0] != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED.String() {
		t.Errorf("raw history of codec/control: got the email in %v, want it only in the plaintext start event", hits)
	}
}

// TestSQLiteFileHasNoPlaintext runs the workflow on the embedded file-backed server and then
// searches the SQLite file itself for the email.
func TestSQLiteFileHasNoPlaintext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dc, err := DataConverter(testKeys("k1"))
	if err != nil {
		t.Fatalf("DataConverter: got error %v, want nil", err)
	}
	dir := t.TempDir()
	srv, err := devserver.Start(ctx, devserver.Config{DataDir: dir, UIPort: -1})
	if err != nil {
		t.Fatalf("devserver.Start: got error %v, want nil", err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	dial := func(dc converter.DataConverter) client.Client {
		c, err := client.DialContext(ctx, client.Options{
			HostPort: srv.FrontendAddress(), Namespace: srv.Namespace(), DataConverter: dc, Logger: quietLogger(),
		})
		if err != nil {
			t.Fatalf("dial %s: got error %v, want nil", srv.FrontendAddress(), err)
		}
		return c
	}
	withCodec, raw := dial(dc), dial(nil)
	w := worker.New(withCodec, e2eTaskQueue, worker.Options{})
	registerScore(w)
	if err := w.Start(); err != nil {
		t.Fatalf("worker start: got error %v, want nil", err)
	}

	runScore(t, ctx, withCodec, "codec/jane", jane)
	startScore(t, ctx, raw, "codec/control", control)
	waitScore(t, ctx, withCodec, "codec/control", control)
	w.Stop()
	withCodec.Close()
	raw.Close()
	if err := srv.Stop(); err != nil {
		t.Fatalf("devserver stop: got error %v, want nil", err)
	}

	files, err := filepath.Glob(filepath.Join(dir, "temporal.db*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("sqlite files in %s: got %v, %v, want temporal.db and friends", dir, files, err)
	}
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		t.Logf("%s: %d bytes", filepath.Base(f), len(b))
		all = append(all, b...)
	}
	for _, s := range []string{jane.Email, "jane.doe", jane.Name} {
		if bytes.Contains(all, []byte(s)) {
			t.Errorf("sqlite files: got %q in them, want it nowhere", s)
		}
	}
	if !bytes.Contains(all, []byte(control.Email)) {
		t.Errorf("sqlite files: got no %q, want the unencrypted control input found (else this search proves nothing)", control.Email)
	}
}
