package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/assessbridge/assessbridge/workflows"
)

// verdict is what the simulators' records say about one candidate.
type verdict struct {
	c           *candidate
	invitations int
	notes       int
	feedback    int
	rating      string   // of the first feedback
	noteRating  bool     // the first note names the expected rating
	tags        []string // sorted
	workflow    string   // the workflow's status once checked ("" before)
}

func (v verdict) lost() bool {
	return v.c.invited() && (v.invitations == 0 || v.notes == 0 || v.feedback == 0)
}

func (v verdict) duplicated() bool { return v.invitations > 1 || v.notes > 1 || v.feedback > 1 }

// wrong: everything arrived once, but the rating or the tags are not what the score and the
// proctoring call for; or a candidate who had left the trigger stage was invited or written to.
func (v verdict) wrong() bool {
	if !v.c.invited() {
		return v.invitations+v.notes+v.feedback > 0 || !slices.Equal(v.tags, v.c.wantTags())
	}
	return !v.lost() && !v.duplicated() && (v.rating != v.c.wantRating() || !v.noteRating || !slices.Equal(v.tags, v.c.wantTags()))
}

// unfinished: the workflow did not end as it should (completed; cancelled for a candidate Lever
// no longer showed in the trigger stage).
func (v verdict) unfinished() bool {
	want := enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED
	if !v.c.invited() {
		want = enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED
	}
	return v.workflow != "" && v.workflow != want.String()
}

func (v verdict) ok() bool { return !v.lost() && !v.duplicated() && !v.wrong() && !v.unfinished() }

// String describes a candidate that is not ok, by ids only: no personal data.
func (v verdict) String() string {
	return fmt.Sprintf("%s: %d invitation(s), %d note(s), %d feedback, rating %q (want %q), note names it %v, tags %q (want %q), workflow %s",
		v.c.workflowID(), v.invitations, v.notes, v.feedback, v.rating, v.c.wantRating(), v.noteRating, v.tags, v.c.wantTags(), v.workflow)
}

// evaluate reads both simulators' records for every candidate.
func evaluate(d *deployment, p *plan) []verdict {
	invitations := map[string]int{}
	for _, inv := range d.platform.Invitations() {
		invitations[inv.Reference]++
	}
	out := make([]verdict, 0, len(p.candidates))
	for _, c := range p.candidates {
		v := verdict{c: c, invitations: invitations[c.workflowID()]}
		if st, ok := d.lever.Snapshot(c.account.id, c.opportunity); ok {
			v.notes, v.feedback = len(st.Notes), len(st.Feedback)
			if len(st.Feedback) > 0 {
				v.rating = st.Feedback[0].Rating
			}
			if len(st.Notes) > 0 {
				v.noteRating = strings.Contains(st.Notes[0].Value, "rating "+c.wantRating())
			}
			v.tags = slices.Sorted(slices.Values(st.Tags))
		}
		out = append(out, v)
	}
	return out
}

// workflowStatuses fills in each candidate's workflow status.
func workflowStatuses(ctx context.Context, d *deployment, vs []verdict) {
	for i := range vs {
		desc, err := d.tc.DescribeWorkflowExecution(ctx, vs[i].c.workflowID(), "")
		if err != nil {
			vs[i].workflow = "unknown (" + err.Error() + ")"
			continue
		}
		vs[i].workflow = desc.GetWorkflowExecutionInfo().GetStatus().String()
	}
}

// allClosed reports whether every candidate's workflow has closed.
func allClosed(ctx context.Context, d *deployment, p *plan) bool {
	for _, c := range p.candidates {
		desc, err := d.tc.DescribeWorkflowExecution(ctx, c.workflowID(), "")
		if err != nil || desc.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			return false
		}
	}
	return true
}

// explain asks a candidate's workflow where it stands, for the report of a failed run.
func explain(ctx context.Context, d *deployment, v verdict) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	resp, err := d.tc.QueryWorkflow(ctx, v.c.workflowID(), "", workflows.QueryStatus)
	if err != nil {
		return "status query: " + err.Error()
	}
	var st workflows.Status
	if err := resp.Get(&st); err != nil {
		return "status query: " + err.Error()
	}
	return fmt.Sprintf("step %s, last error %q", st.Step, st.LastError)
}
