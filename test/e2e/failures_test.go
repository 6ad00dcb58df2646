package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	failurepb "go.temporal.io/api/failure/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/test/journeytest"
	"github.com/assessbridge/assessbridge/workflows"
)

// newEncryptedStack is an installation wired as the worker and starter commands wire it, with
// history keys set (production's setting), against the simulators and the package's server. No
// deletion webhook: a candidate deleted in Lever is then noticed only by a call that meets the
// 404, which is the failing ending tested here (a delivered deletion purges).
func newEncryptedStack(t *testing.T) *journeytest.Stack {
	t.Helper()
	if tsrv == nil {
		newStack(t) // starts the package's shared Temporal server, with the search attributes
	}
	return journeytest.Start(t, journeytest.Options{
		TemporalAddress: tsrv.GetFrontendHostPort(), Namespace: tsrv.GetDefaultNamespace(),
		HistoryKeys: true, Events: []string{lever.EventStageChange},
	})
}

// failureTexts are every failure message and stack trace anywhere in m, causes included.
func failureTexts(m proto.Message) []string {
	var out []string
	var walk func(protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if f, ok := m.Interface().(*failurepb.Failure); ok && f != nil {
			out = append(out, f.GetMessage())
			if f.GetStackTrace() != "" {
				out = append(out, f.GetStackTrace())
			}
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				for i := 0; i < v.List().Len(); i++ {
					walk(v.List().Get(i).Message())
				}
			case fd.IsMap():
				if fd.MapValue().Message() != nil {
					v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool { walk(mv.Message()); return true })
				}
			case fd.Message() != nil:
				walk(v.Message())
			}
			return true
		})
	}
	walk(m.ProtoReflect())
	return out
}

// rawEvents is the run's history as read without the codec (what the CLI and the Web UI get).
func rawEvents(t *testing.T, raw client.Client, workflowID string) []*historypb.HistoryEvent {
	t.Helper()
	var events []*historypb.HistoryEvent
	it := raw.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", workflowID, err)
		}
		events = append(events, ev)
	}
	return events
}

// TestFailuresReadableWithoutPII: with history encrypted, journeys that end badly name their
// cause in plain words to a client without the codec (`temporal workflow result`, `describe`,
// the Web UI's event table), and no failure message of any event holds the candidate's name,
// email or score.
func TestFailuresReadableWithoutPII(t *testing.T) {
	s := newEncryptedStack(t)
	ctx := context.Background()
	raw := tsrv.GetDefaultClient() // no codec
	mustDo(t, s.Store.MapPosting(ctx, s.Account, "post-gone", "as-retired"))
	s.Lever.AddPosting(s.Account, leversim.Posting{ID: "post-gone", Text: "Retired role"})
	// In the catalogue, but the platform no longer offers it: the platform refuses the invitation.
	mustDo(t, s.Store.PutAssessment(ctx, s.Account, store.Assessment{ID: "as-withdrawn", Title: "Withdrawn Test"}))

	type candidate struct {
		id, name, email string
		tags            []string
		posting         string
	}
	tests := []struct {
		name string
		c    candidate
		// then drives the journey on after the stage change, nil when it fails on its own.
		then func(t *testing.T, c candidate)
		// wantCause is in the failure a client without the codec reads: the run's result for a
		// failed run, or a failed activity's event for a run that ends cancelled.
		wantCause  string
		wantStatus enumspb.WorkflowExecutionStatus
		score      string // score text that must appear in no failure
	}{
		{name: "no email", c: candidate{id: "opp-nomail", name: "Nadia Quillfeather", tags: []string{assessmentName}},
			wantCause: "opportunity opp-nomail has no email address to invite", wantStatus: enumspb.WORKFLOW_EXECUTION_STATUS_FAILED},
		{name: "no assessment", c: candidate{id: "opp-noasm", name: "Noel Brightwater", email: "noel.brightwater@example.com"},
			wantCause: "no assessment: no candidate tag, posting tag or posting mapping names one", wantStatus: enumspb.WORKFLOW_EXECUTION_STATUS_FAILED},
		{name: "unknown assessment", c: candidate{id: "opp-unknown", name: "Uma Fairweather", email: "uma.fairweather@example.com", posting: "post-gone"},
			wantCause: "assessment as-retired, which is not in the catalogue", wantStatus: enumspb.WORKFLOW_EXECUTION_STATUS_FAILED},
		{name: "platform refuses", c: candidate{id: "opp-refused", name: "Rafael Oakenshaw", email: "rafael.oakenshaw@example.com", tags: []string{"Withdrawn Test"}},
			wantCause: "invite: assessment platform refused the request", wantStatus: enumspb.WORKFLOW_EXECUTION_STATUS_FAILED},
		{name: "score cannot be rated", c: candidate{id: "opp-score", name: "Sven Lindqvist", email: "sven.lindqvist@example.com", tags: []string{assessmentName}},
			then: func(t *testing.T, c candidate) {
				inv := s.Invitation(t, c.id)
				mustDo(t, s.Platform.Submit(ctx, inv.ID, assessment.Result{Score: fp(137.25), MaxScore: fp(100)}))
			},
			wantCause: "cannot rate the submission: score out of range", wantStatus: enumspb.WORKFLOW_EXECUTION_STATUS_FAILED, score: "137.25"},
		{name: "candidate deleted", c: candidate{id: "opp-deleted", name: "Delia Marchetti", email: "delia.marchetti@example.com", tags: []string{assessmentName}},
			then: func(t *testing.T, c candidate) {
				inv := s.Invitation(t, c.id)
				mustDo(t, s.Lever.Delete(ctx, s.Account, c.id))
				mustDo(t, s.Platform.Start(ctx, inv.ID))
			},
			wantCause: "opportunity not found in Lever", wantStatus: enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED},
	}
	for _, tt := range tests {
		var emails []string
		if tt.c.email != "" {
			emails = []string{tt.c.email}
		}
		s.Lever.AddOpportunity(s.Account, leversim.Opportunity{ID: tt.c.id, Name: tt.c.name, Emails: emails,
			Tags: tt.c.tags, StageID: otherStage, PostingID: tt.c.posting})
		mustDo(t, s.Lever.MoveToStage(ctx, s.Account, tt.c.id, triggerStage))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := workflows.WorkflowID(s.Account, tt.c.id)
			if tt.then != nil {
				tt.then(t, tt.c)
			}
			waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			// `temporal workflow result` without the codec: the error names the cause.
			runErr := raw.GetWorkflow(waitCtx, id, "").Get(waitCtx, nil)
			if runErr == nil {
				t.Fatalf("result: got nil error, want the run to end %v", tt.wantStatus)
			}
			desc, err := raw.DescribeWorkflowExecution(ctx, id, "")
			if err != nil {
				t.Fatalf("describe: %v", err)
			}
			if got := desc.GetWorkflowExecutionInfo().GetStatus(); got != tt.wantStatus {
				t.Fatalf("status: got %v (%v), want %v", got, runErr, tt.wantStatus)
			}
			events := rawEvents(t, raw, id)
			var texts []string
			for _, ev := range events {
				texts = append(texts, failureTexts(ev)...)
			}
			if tt.wantStatus == enumspb.WORKFLOW_EXECUTION_STATUS_FAILED {
				var appErr *temporal.ApplicationError
				if !strings.Contains(runErr.Error(), tt.wantCause) || !errors.As(runErr, &appErr) {
					t.Errorf("result without the codec: got %q, want an application error naming %q", runErr, tt.wantCause)
				}
				closing := events[len(events)-1].GetWorkflowExecutionFailedEventAttributes().GetFailure()
				if got := strings.Join(failureTexts(closing), " | "); !strings.Contains(got, tt.wantCause) {
					t.Errorf("close event's failure: got %q, want it to name %q", got, tt.wantCause)
				}
			} else if got := strings.Join(texts, " | "); !strings.Contains(got, tt.wantCause) {
				t.Errorf("failures in the history: got %q, want one naming %q", got, tt.wantCause)
			}
			if len(texts) == 0 {
				t.Fatal("no failure in the history")
			}
			for _, text := range texts {
				if text == "Encoded failure" {
					t.Errorf("a failure message is encoded; want it in plain words")
				}
				for _, pii := range []string{tt.c.name, strings.Fields(tt.c.name)[1], tt.c.email, tt.score} {
					if pii != "" && strings.Contains(strings.ToLower(text), strings.ToLower(pii)) {
						t.Errorf("failure message %q holds %q", text, pii)
					}
				}
			}
			// The payloads stay encrypted: the name is nowhere in the raw history.
			for _, ev := range events {
				if strings.Contains(fmt.Sprint(ev), tt.c.name) {
					t.Errorf("event %v holds the candidate's name in plaintext", ev.GetEventType())
				}
			}
		})
	}
}
