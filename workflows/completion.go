package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/activities"
	"github.com/assessbridge/assessbridge/workflows/rating"
)

// Verdicts against the pass threshold.
const (
	VerdictPassed = "passed"
	VerdictFailed = "failed"
)

// reportOptions bound the report attachment: a platform that cannot serve the file for half an
// hour should not hold back the results, which link the report anyway. An attempt makes two
// requests (download from the platform, upload to Lever), so it gets two minutes.
func reportOptions() workflow.ActivityOptions {
	o := activityOptions()
	o.StartToCloseTimeout = 2 * time.Minute
	o.RetryPolicy.MaximumInterval = 5 * time.Minute
	o.RetryPolicy.MaximumAttempts = 10
	return o
}

// readCompletion reads the completion settings and judges the result against the threshold.
func (s *state) readCompletion(ctx workflow.Context, r rating.Rating, rated bool) error {
	err := workflow.ExecuteActivity(ctx, a.CompletionSettings, activities.CompletionInput{
		AccountID: s.in.AccountID, PostingID: s.res.PostingID,
	}).Get(ctx, &s.comp)
	if err != nil {
		return err
	}
	if rated && s.comp.PassThreshold != nil {
		s.status.Verdict = VerdictFailed
		if r.Percent >= *s.comp.PassThreshold {
			s.status.Verdict = VerdictPassed
		}
	}
	return nil
}

// attachReport uploads the platform's report file when the account wants it, and says how it
// went in a line of the note. A failure is reported, never fatal: the note links the report.
func (s *state) attachReport(ctx workflow.Context, sub *SubmittedSignal, marker string) []string {
	if !s.comp.UploadReport {
		return nil
	}
	if sub.ReportFileURL == "" {
		return []string{"Report file: the platform sent none to attach."}
	}
	var name string
	err := s.call(workflow.WithActivityOptions(ctx, reportOptions()), a.AttachReport, activities.ReportInput{
		AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID, ReportFileURL: sub.ReportFileURL,
		Title: s.res.AssessmentTitle, Marker: marker,
	}, &name)
	s.record(ctx, "attach report file", err)
	if err != nil {
		return []string{"Report file: could not be attached (" + cause(err) + ")."}
	}
	return []string{"Report file attached to the profile: " + name}
}

// targetStage is where the candidate goes on submission ("" nowhere).
func (s *state) targetStage() string {
	switch {
	case s.status.Verdict == VerdictPassed && s.comp.PassStageID != "":
		return s.comp.PassStageID
	case s.status.Verdict == VerdictFailed && s.comp.FailStageID != "":
		return s.comp.FailStageID
	}
	return s.comp.CompletionStageID
}

// baselineStage is the stage the candidate was in when the journey began.
func (s *state) baselineStage() string {
	if s.in.TriggerStageID != "" {
		return s.in.TriggerStageID
	}
	return s.res.StageID
}

// moveOn moves the candidate to the next stage, unless a person moved them since the journey
// began (or archived them): then they stay where they are and the note says why.
func (s *state) moveOn(ctx workflow.Context) []string {
	target := s.targetStage()
	if target == "" {
		return nil
	}
	from := s.baselineStage()
	var st activities.StageState
	err := s.call(ctx, a.CurrentStage, activities.StageInput{
		AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID, Names: []string{target, from},
	}, &st)
	s.record(ctx, "read current stage", err)
	if err != nil {
		return []string{"Not moved to the next stage: the candidate's stage could not be read (" + cause(err) + ")."}
	}
	name := func(id string) string {
		if n := st.Names[id]; n != "" {
			return n
		}
		return id
	}
	switch {
	case st.Archived:
		return []string{fmt.Sprintf("Not moved to %s: the candidate was archived meanwhile.", name(target))}
	case st.StageID == target:
		s.status.MovedTo = target
		return []string{fmt.Sprintf("Already in %s.", name(target))}
	case from == "" || st.StageID != from:
		return []string{fmt.Sprintf("Not moved to %s: someone moved the candidate to %s since the invitation, so they stay there.",
			name(target), name(st.StageID))}
	}
	err = s.call(ctx, a.MoveStage, activities.MoveInput{AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID, StageID: target}, nil)
	s.record(ctx, "move to stage "+name(target), err)
	if err != nil {
		return []string{fmt.Sprintf("Could not move to %s (%s).", name(target), cause(err))}
	}
	s.status.MovedTo = target
	return []string{fmt.Sprintf("Moved to %s.", name(target))}
}

// archiveDue says whether the result is below the auto-archive threshold.
func (s *state) archiveDue(r rating.Rating) bool {
	return s.comp.ArchiveBelow != nil && s.comp.ArchiveReasonID != "" && r.Percent < *s.comp.ArchiveBelow
}

// archiveLine announces the pending archive in the result note.
func (s *state) archiveLine(ctx workflow.Context) string {
	at := workflow.Now(ctx).Add(s.comp.ArchiveGrace)
	return fmt.Sprintf("Below the auto-archive threshold (%s%%): the candidate will be archived on %s unless a recruiter keeps them (admin page → candidate → Keep).",
		pct(*s.comp.ArchiveBelow), at.UTC().Format(timeLayout))
}

// autoArchive waits out the grace period, then archives the candidate unless someone kept them,
// archived, hired or deleted them, or moved them on meanwhile.
func (s *state) autoArchive(ctx workflow.Context) {
	s.status.ArchiveAt = workflow.Now(ctx).Add(s.comp.ArchiveGrace)
	s.setStep(ctx, StepArchivePending)
	_, err := workflow.AwaitWithTimeout(ctx, s.comp.ArchiveGrace, func() bool { return s.keep != nil || s.cancel != nil })
	switch {
	case err != nil:
		s.record(ctx, "auto-archive stopped: workflow cancelled", nil)
		return
	case s.keep != nil:
		s.record(ctx, "auto-archive stopped: kept ("+s.keep.Reason+")", nil)
		return
	case s.cancel != nil:
		s.record(ctx, "auto-archive skipped: "+s.cancel.Reason, nil)
		return
	}
	expected := s.baselineStage()
	if s.status.MovedTo != "" {
		expected = s.status.MovedTo
	}
	var st activities.StageState
	err = s.call(ctx, a.CurrentStage, activities.StageInput{AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID}, &st)
	s.record(ctx, "read current stage", err)
	switch {
	case err != nil:
		return
	case st.Archived:
		s.record(ctx, "auto-archive skipped: already archived", nil)
		return
	case expected == "" || st.StageID != expected:
		s.record(ctx, "auto-archive skipped: the candidate was moved meanwhile", nil)
		return
	}
	err = s.call(ctx, a.ArchiveCandidate, activities.ArchiveInput{
		AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID, ReasonID: s.comp.ArchiveReasonID,
	}, nil)
	s.record(ctx, "auto-archive", err)
	s.status.Archived = err == nil
}

// extendPending reports an extension to carry out.
func (s *state) extendPending() bool {
	return len(s.extends) > 0
}

// extend pushes the deadline back and tags the candidate "<Title> - Extended".
func (s *state) extend(ctx workflow.Context) error {
	sig := s.extends[0]
	s.extends = s.extends[1:]
	by := sig.By
	if by <= 0 {
		by = DefaultExtension
	}
	s.status.ExpiresAt = s.status.ExpiresAt.Add(by)
	s.status.Extensions++
	err := s.call(ctx, a.AddTags, activities.TagInput{AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID,
		Tags: []string{activities.StatusTag(s.res.AssessmentTitle, activities.ExtendedStep)}}, nil)
	s.record(ctx, fmt.Sprintf("extend deadline by %s to %s", by, s.status.ExpiresAt.UTC().Format(timeLayout)), err)
	return err
}

// cause is an activity error's own message, without Temporal's wrapping.
func cause(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Error()
	}
	return err.Error()
}
