package deploy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/test/journeytest"
	"github.com/assessbridge/assessbridge/workflows"
)

// TestLogsOfAJourney captures every log line, at debug level, of a whole journey (the front door,
// the worker's activities and workflow, the Temporal SDK) plus a forged webhook and callback, in
// the production JSON format. No secret and nothing that identifies the candidate appears; every
// line about a request carries its request_id and every line about a workflow its workflow_id.
func TestLogsOfAJourney(t *testing.T) {
	srv := temporalServer(t)
	var out lockedBuffer
	z := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&out), zapcore.DebugLevel))
	s := journeytest.Start(t, journeytest.Options{
		TemporalAddress: srv.GetFrontendHostPort(), Namespace: srv.GetDefaultNamespace(), Logger: z,
	})
	grace := journeytest.Candidate{OpportunityID: "opp-grace", Name: "Grace Hopper", Email: "grace.hopper@navy.example", Score: 58, MaxScore: 60}

	forged := map[string]string{
		"/webhooks/lever/" + s.Account: `{"triggeredAt":1700000000000,"event":"candidateStageChange","token":"t","signature":"00","data":{"opportunityId":"opp-x","toStageId":"` + journeytest.TriggerStage + `"}}`,
		"/callbacks/assessment":        `{"id":"e1","event":"started","reference":"lever/acme/opp-grace"}`,
	}
	for path, body := range forged {
		resp, err := http.Post(s.WebURL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("forged POST %s: got status %d, want 401", path, resp.StatusCode)
		}
	}
	// A failed activity is logged with its error (the note is posted on the retry): that line
	// must be as clean as the rest.
	s.Lever.InjectFault(leversim.Fault{Method: http.MethodPost, PathContains: "/notes", Status: http.StatusInternalServerError})
	res := s.Journey(t, grace)
	if res.Step != workflows.StepCompleted {
		t.Fatalf("journey: got step %q, want %q", res.Step, workflows.StepCompleted)
	}
	_ = z.Sync()

	lines := out.lines(t)
	if len(lines) < 10 {
		t.Fatalf("log lines: got %d, want a journey's worth", len(lines))
	}
	forbidden := s.Secrets()
	forbidden["candidate email"] = grace.Email
	forbidden["candidate name"] = grace.Name
	forbidden["candidate surname"] = "Hopper"
	wfID := workflows.WorkflowID(s.Account, grace.OpportunityID)
	var fromWeb, fromWorkflow int
	for _, l := range lines {
		for what, secret := range forbidden {
			if strings.Contains(l.raw, secret) {
				t.Errorf("log line holds the %s: %s", what, l.raw)
			}
		}
		switch {
		case l.fields["logger"] == "web":
			fromWeb++
			if l.str("request_id") == "" {
				t.Errorf("web log line without request_id: %s", l.raw)
			}
		case l.has("activity_id") || l.has("activity_type") || l.has("workflow_type") && l.has("run_id"):
			if l.str("workflow_id") == "" {
				t.Errorf("workflow or activity log line without workflow_id: %s", l.raw)
			}
			if l.str("workflow_id") == wfID {
				fromWorkflow++
			}
		}
	}
	if fromWeb == 0 || fromWorkflow == 0 {
		t.Errorf("got %d front door and %d workflow lines of the journey, want some of each", fromWeb, fromWorkflow)
	}
}

type logLine struct {
	raw    string
	fields map[string]any
}

func (l logLine) has(k string) bool { _, ok := l.fields[k]; return ok }

func (l logLine) str(k string) string { s, _ := l.fields[k].(string); return s }

// lockedBuffer collects log output written from many goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines parses the output: each line must be one JSON object.
func (b *lockedBuffer) lines(t *testing.T) []logLine {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []logLine
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		l := logLine{raw: sc.Text()}
		if err := json.Unmarshal(sc.Bytes(), &l.fields); err != nil {
			t.Errorf("log line is not JSON: %q", l.raw)
			continue
		}
		out = append(out, l)
	}
	return out
}
