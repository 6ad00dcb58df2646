package workflows

import (
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/activities"
)

func pctp(v float64) *float64 { return &v }

// TestCompletion: what happens on submission with each completion setting, as the recruiter
// sees it in Lever (tags, stage moves, archive, the note).
func TestCompletion(t *testing.T) {
	const trigger, next, passStage, failStage = "stage-assess", "stage-next", "stage-onsite", "stage-reject"
	cases := []struct {
		name     string
		comp     activities.Completion
		score    float64
		stageNow string // where the candidate is at submission
		keep     bool   // a recruiter keeps the candidate during the grace period
		cancel   bool   // the candidate is archived by a person during the grace period
		report   string // the platform's report file URL

		wantTag      string // extra tag beside Submitted ("" none)
		wantMoves    []string
		wantArchived bool
		wantNote     []string
		wantStep     string // the step during the grace period, if one
	}{
		{name: "off by default", score: 70, stageNow: trigger},
		{name: "pass tag", comp: activities.Completion{PassThreshold: pctp(60)}, score: 70, stageNow: trigger,
			wantTag: "Go Test - Passed", wantNote: []string{"Passed (threshold 60%)."}},
		{name: "fail tag at the edge", comp: activities.Completion{PassThreshold: pctp(70.5)}, score: 70, stageNow: trigger,
			wantTag: "Go Test - Failed", wantNote: []string{"Failed (threshold 70.5%)."}},
		{name: "moved on completion", comp: activities.Completion{CompletionStageID: next}, score: 70, stageNow: trigger,
			wantMoves: []string{next}, wantNote: []string{"Moved to " + next + "."}},
		{name: "moved by pass", comp: activities.Completion{CompletionStageID: next, PassThreshold: pctp(50), PassStageID: passStage, FailStageID: failStage},
			score: 70, stageNow: trigger, wantTag: "Go Test - Passed", wantMoves: []string{passStage}},
		{name: "moved by fail", comp: activities.Completion{CompletionStageID: next, PassThreshold: pctp(80), PassStageID: passStage, FailStageID: failStage},
			score: 70, stageNow: trigger, wantTag: "Go Test - Failed", wantMoves: []string{failStage}},
		{name: "fail without fail stage falls back", comp: activities.Completion{CompletionStageID: next, PassThreshold: pctp(80), PassStageID: passStage},
			score: 70, stageNow: trigger, wantTag: "Go Test - Failed", wantMoves: []string{next}},
		{name: "a person moved the candidate", comp: activities.Completion{CompletionStageID: next}, score: 70, stageNow: "stage-phone",
			wantNote: []string{"Not moved to " + next + ": someone moved the candidate to stage-phone"}},
		{name: "auto-archive after grace", comp: activities.Completion{ArchiveBelow: pctp(40), ArchiveReasonID: "r1", ArchiveGrace: 24 * time.Hour},
			score: 30, stageNow: trigger, wantArchived: true, wantStep: StepArchivePending, wantNote: []string{"Below the auto-archive threshold (40%)"}},
		{name: "auto-archive not reached", comp: activities.Completion{ArchiveBelow: pctp(40), ArchiveReasonID: "r1", ArchiveGrace: 24 * time.Hour},
			score: 40, stageNow: trigger},
		{name: "auto-archive kept", comp: activities.Completion{ArchiveBelow: pctp(40), ArchiveReasonID: "r1", ArchiveGrace: 24 * time.Hour},
			score: 30, stageNow: trigger, keep: true, wantStep: StepArchivePending},
		{name: "auto-archive skipped after a person archived", comp: activities.Completion{ArchiveBelow: pctp(40), ArchiveReasonID: "r1", ArchiveGrace: 24 * time.Hour},
			score: 30, stageNow: trigger, cancel: true, wantStep: StepArchivePending},
		{name: "report attached", comp: activities.Completion{UploadReport: true}, score: 70, stageNow: trigger, report: "https://platform.example/r/1.pdf",
			wantNote: []string{"Report file attached to the profile: Go Test report (ref "}},
		{name: "no report file sent", comp: activities.Completion{UploadReport: true}, score: 70, stageNow: trigger,
			wantNote: []string{"Report file: the platform sent none to attach."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env, rec := newEnv(t, resolved(), nil)
			rec.comp, rec.stage = tc.comp, activities.StageState{StageID: tc.stageNow, Names: map[string]string{}}
			signalAt(env, time.Hour, SignalSubmitted, SubmittedSignal{Score: fp(tc.score), MaxScore: fp(100), ReportFileURL: tc.report})
			var during Status
			env.RegisterDelayedCallback(func() {
				during = queryStatusNoT(env)
				if tc.keep {
					env.SignalWorkflow(SignalKeep, KeepSignal{Reason: "recruiter"})
				}
				if tc.cancel {
					env.SignalWorkflow(SignalCancel, CancelSignal{Reason: "archived in Lever", Kind: CancelArchived})
				}
			}, 3*time.Hour)
			env.ExecuteWorkflow(WorkflowName, testInput)
			if err := env.GetWorkflowError(); err != nil {
				t.Fatalf("workflow: %v", err)
			}
			st := queryStatus(t, env)
			if st.Step != StepCompleted {
				t.Errorf("step: got %s, want %s", st.Step, StepCompleted)
			}
			if tc.wantStep != "" && during.Step != tc.wantStep {
				t.Errorf("step during the grace period: got %s, want %s", during.Step, tc.wantStep)
			}
			tags := rec.tags()
			last := tags[len(tags)-1]
			wantAdd := []string{"Go Test - Submitted"}
			if tc.wantTag != "" {
				wantAdd = append(wantAdd, tc.wantTag)
			}
			if strings.Join(last.Add, ",") != strings.Join(wantAdd, ",") {
				t.Errorf("tags added on submission: got %q, want %q", last.Add, wantAdd)
			}
			if strings.Join(rec.moves, ",") != strings.Join(tc.wantMoves, ",") {
				t.Errorf("moves: got %q, want %q", rec.moves, tc.wantMoves)
			}
			if got := len(rec.archives) == 1; got != tc.wantArchived || st.Archived != tc.wantArchived {
				t.Errorf("archived: got %v (status %v), want %v", rec.archives, st.Archived, tc.wantArchived)
			}
			if len(rec.notes) != 1 || len(rec.feedback) != 1 {
				t.Fatalf("got %d notes, %d feedback, want one each", len(rec.notes), len(rec.feedback))
			}
			for _, s := range tc.wantNote {
				if !strings.Contains(rec.notes[0].Text, s) {
					t.Errorf("note %q lacks %q", rec.notes[0].Text, s)
				}
			}
			if tc.report != "" && (len(rec.reports) != 1 || rec.reports[0].Marker != rec.notes[0].Marker) {
				t.Errorf("reports: got %+v, want one with the note's marker", rec.reports)
			}
		})
	}
}

func TestExtendDeadline(t *testing.T) {
	env, rec := newEnv(t, resolved(), nil)
	var before, after Status
	env.RegisterDelayedCallback(func() { before = queryStatusNoT(env) }, time.Hour)
	signalAt(env, 2*time.Hour, SignalExtend, ExtendSignal{By: 48 * time.Hour, Reason: "candidate asked"})
	signalAt(env, 3*time.Hour, SignalExtend, ExtendSignal{}) // the default extension
	env.RegisterDelayedCallback(func() { after = queryStatusNoT(env) }, 4*time.Hour)
	env.ExecuteWorkflow(WorkflowName, testInput)
	if err := env.GetWorkflowError(); err == nil {
		t.Fatal("workflow: got nil error, want it to expire at the extended deadline")
	}
	want := before.ExpiresAt.Add(48*time.Hour + DefaultExtension)
	if !after.ExpiresAt.Equal(want) || after.Extensions != 2 {
		t.Errorf("after extensions: expires %s (%d extensions), want %s (2)", after.ExpiresAt, after.Extensions, want)
	}
	st := queryStatus(t, env)
	if st.Step != StepExpired {
		t.Errorf("step: got %s, want %s", st.Step, StepExpired)
	}
	var extended int
	for _, add := range rec.adds {
		if strings.Join(add, ",") == "Go Test - Extended" {
			extended++
		}
	}
	if extended != 2 {
		t.Errorf("Extended tag additions: got %d, want 2 (%q)", extended, rec.adds)
	}
}

// TestApplicationWithoutAssessment: an application for an unmapped posting ends quietly
// (cancelled, not failed), so operators' failure lists hold only real failures.
func TestApplicationWithoutAssessment(t *testing.T) {
	res := resolved()
	res.AssessmentID, res.AssessmentTitle = "", ""
	env, rec := newEnv(t, res, nil)
	in := testInput
	in.TriggerStageID, in.Trigger = "", TriggerApplication
	env.ExecuteWorkflow(WorkflowName, in)
	if err := env.GetWorkflowError(); !temporal.IsCanceledError(err) {
		t.Fatalf("workflow: got %v, want cancelled", err)
	}
	if len(rec.invites) != 0 || queryStatus(t, env).Step != StepNoAssessment {
		t.Errorf("got %d invites, step %s; want none and %s", len(rec.invites), queryStatus(t, env).Step, StepNoAssessment)
	}
}
