package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/workflows"
)

// demoCandidate is one scripted candidate: where they applied and how they do.
type demoCandidate struct {
	name           string
	postingID      string
	tags           []string
	score, max     float64
	submitFirst    bool // the platform's submitted callback overtakes started
	flagged        string
	wantTitle      string
	wantRating     string
	wantFlagInNote bool
}

var demoCandidates = []demoCandidate{
	{name: "Alex Kim", postingID: "post-backend", score: 20, max: 100, wantTitle: "Go Basics", wantRating: "1 - Strong No Hire"},
	{name: "Blair Diaz", postingID: "post-data", score: 40, max: 100, wantTitle: "SQL Basics", wantRating: "2 - No Hire"},
	{name: "Casey Lee", postingID: "post-data", tags: []string{"Go Basics"}, score: 31, max: 50, submitFirst: true, wantTitle: "Go Basics", wantRating: "3 - Hire"},
	{name: "Devon Park", postingID: "post-backend", score: 88, max: 100, flagged: "second face detected twice", wantTitle: "Go Basics", wantRating: "4 - Strong Hire", wantFlagInNote: true},
}

// RunDemo drives the scripted candidates through the whole journey on a stack started with
// simulators, printing each one's progress and end state. It fails if any ends wrong.
func RunDemo(ctx context.Context, s *Stack, out io.Writer) error {
	if s.Sims == nil || s.Sims.Platform == nil {
		return errors.New("demo: the stack must run with both simulators")
	}
	run := time.Now().Unix()
	var failed []string
	for i, c := range demoCandidates {
		oppID := fmt.Sprintf("demo-%d-%d", run, i+1)
		if err := s.demoOne(ctx, out, oppID, c); err != nil {
			fmt.Fprintf(out, "  FAILED: %v\n\n", err)
			failed = append(failed, c.name)
			continue
		}
		fmt.Fprintln(out)
	}
	if len(failed) > 0 {
		return fmt.Errorf("demo: %d of %d candidates did not end correctly: %s", len(failed), len(demoCandidates), strings.Join(failed, ", "))
	}
	fmt.Fprintf(out, "demo: all %d candidates ended correctly\n", len(demoCandidates))
	return nil
}

func (s *Stack) demoOne(ctx context.Context, out io.Writer, oppID string, c demoCandidate) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	l, p := s.Sims.Lever, s.Sims.Platform
	wfID := workflows.WorkflowID(DemoAccount, oppID)
	email := strings.ToLower(strings.ReplaceAll(c.name, " ", ".")) + "@candidates.example"
	l.AddOpportunity(DemoAccount, leversim.Opportunity{ID: oppID, Name: c.name, Emails: []string{email},
		Tags: c.tags, StageID: "stage-phone", PostingID: c.postingID})
	fmt.Fprintf(out, "%s (%s)\n  Temporal UI: %s\n", c.name, oppID, s.WorkflowURL(wfID))

	fmt.Fprintf(out, "  moved to the Assessment stage in Lever\n")
	if err := l.MoveToStage(ctx, DemoAccount, oppID, DemoTriggerStage); err != nil {
		return fmt.Errorf("stage change: %w", err)
	}
	var inv platformsim.Invitation
	if err := waitFor(ctx, "invitation", func() bool {
		var ok bool
		inv, ok = p.InvitationByReference(wfID)
		return ok
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "  invited to %s (%s)\n", inv.AssessmentID, inv.ID)
	if err := waitFor(ctx, "tag Invited", func() bool { return s.hasTag(oppID, c.wantTitle+" - Invited") }); err != nil {
		return err
	}
	res := assessment.Result{Score: &c.score, MaxScore: &c.max, ReportURL: "https://platform.example/reports/" + inv.ID,
		Proctoring: assessment.Proctoring{Flagged: c.flagged != "", Summary: c.flagged}}
	if c.submitFirst {
		fmt.Fprintf(out, "  submitted %g/%g (the submitted callback arrives before started)\n", c.score, c.max)
		if err := p.Submit(ctx, inv.ID, res); err != nil {
			return fmt.Errorf("submit: %w", err)
		}
		// The late started callback is taken (202) or, once the journey is over, refused (409).
		status, err := p.SendCallback(ctx, assessment.Callback{ID: inv.ID + "-started", Event: assessment.EventStarted,
			InvitationID: inv.ID, Reference: wfID, OccurredAt: time.Now()})
		if err != nil || (status != 202 && status != 409) {
			return fmt.Errorf("late started callback: status %d, %v", status, err)
		}
	} else {
		if err := p.Start(ctx, inv.ID); err != nil {
			return fmt.Errorf("start: %w", err)
		}
		if err := waitFor(ctx, "tag Started", func() bool { return s.hasTag(oppID, c.wantTitle+" - Started") }); err != nil {
			return err
		}
		fmt.Fprintf(out, "  started; submitted %g/%g\n", c.score, c.max)
		if err := p.Submit(ctx, inv.ID, res); err != nil {
			return fmt.Errorf("submit: %w", err)
		}
	}
	var result workflows.Result
	if err := s.Temporal.GetWorkflow(ctx, wfID, "").Get(ctx, &result); err != nil {
		return fmt.Errorf("workflow: %w", err)
	}
	return s.checkDemoEnd(out, oppID, c)
}

func (s *Stack) checkDemoEnd(out io.Writer, oppID string, c demoCandidate) error {
	snap, _ := s.Sims.Lever.Snapshot(DemoAccount, oppID)
	fmt.Fprintf(out, "  final tags: %q\n", snap.Tags)
	var problems []string
	want := []string{c.wantTitle + " - Submitted"}
	if c.flagged != "" {
		want = append(want, c.wantTitle+" - Flagged") // the recruiter sees the flag without opening the note
	}
	if !slices.Equal(slices.Sorted(slices.Values(snap.Tags)), slices.Sorted(slices.Values(want))) {
		problems = append(problems, fmt.Sprintf("tags %q, want %q", snap.Tags, want))
	}
	if len(snap.Feedback) != 1 {
		problems = append(problems, fmt.Sprintf("%d feedback forms, want 1", len(snap.Feedback)))
	} else {
		fmt.Fprintf(out, "  feedback rating: %s\n", snap.Feedback[0].Rating)
		if snap.Feedback[0].Rating != c.wantRating {
			problems = append(problems, fmt.Sprintf("rating %q, want %q", snap.Feedback[0].Rating, c.wantRating))
		}
	}
	if len(snap.Notes) != 1 {
		problems = append(problems, fmt.Sprintf("%d notes, want 1", len(snap.Notes)))
	} else {
		fmt.Fprintf(out, "  note:\n    %s\n", strings.ReplaceAll(snap.Notes[0].Value, "\n", "\n    "))
		if c.wantFlagInNote && !strings.Contains(snap.Notes[0].Value, "FLAGGED") {
			problems = append(problems, "note does not mention the proctoring flag")
		}
	}
	n := 0
	for _, inv := range s.Sims.Platform.Invitations() {
		if inv.Reference == workflows.WorkflowID(DemoAccount, oppID) {
			n++
		}
	}
	if n != 1 {
		problems = append(problems, fmt.Sprintf("%d invitations, want 1", n))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func (s *Stack) hasTag(oppID, tag string) bool {
	snap, _ := s.Sims.Lever.Snapshot(DemoAccount, oppID)
	return slices.Contains(snap.Tags, tag)
}

func waitFor(ctx context.Context, what string, cond func() bool) error {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-t.C:
		}
	}
	return nil
}
