package workflows

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/activities"
	"github.com/assessbridge/assessbridge/workflows/rating"
)

// ErrTypeInvalidScore: the platform reported a submission whose score cannot be rated.
const ErrTypeInvalidScore = "InvalidScore"

// ErrTypeNoAssessment: nothing maps this candidate to an assessment.
const ErrTypeNoAssessment = "NoAssessment"

// a is the nil receiver through which the workflow names its activities.
var a *activities.Activities

// CandidateAssessment invites one candidate, follows their progress through Lever tags, and posts
// the rated result to Lever. Only a journey that reached its results completes; every other ending
// (no assessment, cancelled, failed) lets a later stage change start a new run.
func CandidateAssessment(ctx workflow.Context, in Input) (Result, error) {
	s := &state{in: in, status: Status{Step: StepResolving, AccountID: in.AccountID, OpportunityID: in.OpportunityID}}
	if err := s.setup(ctx); err != nil {
		return Result{}, err
	}
	return s.run(ctx)
}

type state struct {
	in        Input
	status    Status
	res       activities.Resolution
	started   *StartedSignal
	submitted *SubmittedSignal
	cancel    *CancelSignal
	// reconnects counts reconnected signals, so a wait can tell a new one from an old one.
	reconnects int
	// reinvitesAsked counts reinvite signals; status.Reinvites counts those carried out.
	reinvitesAsked int
	remindAt       time.Time
	// comp is the completion settings read on submission.
	comp    activities.Completion
	extends []ExtendSignal
	keep    *KeepSignal
}

func (s *state) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (Status, error) { return s.status, nil }); err != nil {
		return err
	}
	if err := s.setUpdates(ctx); err != nil {
		return err
	}
	startedCh := workflow.GetSignalChannel(ctx, SignalStarted)
	submittedCh := workflow.GetSignalChannel(ctx, SignalSubmitted)
	cancelCh := workflow.GetSignalChannel(ctx, SignalCancel)
	reconnectCh := workflow.GetSignalChannel(ctx, SignalReconnected)
	reinviteCh := workflow.GetSignalChannel(ctx, SignalReinvite)
	extendCh := workflow.GetSignalChannel(ctx, SignalExtend)
	keepCh := workflow.GetSignalChannel(ctx, SignalKeep)
	// Signals are recorded whenever they arrive, in any order; the first of each kind wins, so
	// duplicated platform callbacks change nothing.
	workflow.Go(ctx, func(ctx workflow.Context) {
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(startedCh, func(c workflow.ReceiveChannel, _ bool) {
			var sig StartedSignal
			c.Receive(ctx, &sig)
			if s.started == nil && s.current(sig.InvitationID) {
				s.started = &sig
			}
		})
		sel.AddReceive(submittedCh, func(c workflow.ReceiveChannel, _ bool) {
			var sig SubmittedSignal
			c.Receive(ctx, &sig)
			if s.submitted == nil && s.current(sig.InvitationID) {
				s.submitted = &sig
			}
		})
		sel.AddReceive(cancelCh, func(c workflow.ReceiveChannel, _ bool) {
			var sig CancelSignal
			c.Receive(ctx, &sig)
			if s.cancel == nil {
				s.cancel = &sig
			}
		})
		sel.AddReceive(reconnectCh, func(c workflow.ReceiveChannel, _ bool) {
			c.Receive(ctx, nil)
			s.reconnects++
		})
		sel.AddReceive(reinviteCh, func(c workflow.ReceiveChannel, _ bool) {
			c.Receive(ctx, nil)
			s.reinvitesAsked++
		})
		sel.AddReceive(extendCh, func(c workflow.ReceiveChannel, _ bool) {
			var sig ExtendSignal
			c.Receive(ctx, &sig)
			s.extends = append(s.extends, sig)
		})
		sel.AddReceive(keepCh, func(c workflow.ReceiveChannel, _ bool) {
			var sig KeepSignal
			c.Receive(ctx, &sig)
			if s.keep == nil {
				s.keep = &sig
			}
		})
		for {
			sel.Select(ctx)
		}
	})
	if s.in.AttributesAtStart {
		return nil // every visibility write costs the server: these are set already
	}
	return workflow.UpsertTypedSearchAttributes(ctx,
		AttrAccount.ValueSet(s.in.AccountID),
		AttrOpportunity.ValueSet(s.in.OpportunityID),
		AttrStatus.ValueSet(StepResolving))
}

// activityOptions: one attempt fits a Lever request at its longest (ASSESSBRIDGE_LEVER_TIMEOUT,
// at most a minute; the client's own retries and Retry-After waits stop at this deadline and the
// retry policy takes over). Every activity heartbeats while it runs (service's interceptor), so
// one on a worker that died is retried after the heartbeat timeout, not after the StartToClose.
func activityOptions() workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		HeartbeatTimeout:    10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Minute, // unlimited attempts: Lever or the platform may be down for hours
		},
	}
}

func (s *state) run(ctx workflow.Context) (Result, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions())
	// 1. Resolve the candidate and their assessment.
	err := s.call(ctx, a.Resolve, activities.ResolveInput{
		AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID, AssessmentID: s.in.AssessmentID,
		InTriggerStage: s.in.Trigger == TriggerStageChange, ApplicationID: s.in.ApplicationID, PostingID: s.in.PostingID,
	}, &s.res)
	s.record(ctx, "read candidate from Lever", err)
	if err != nil {
		return s.fail(ctx, err)
	}
	s.nameCandidate(ctx)
	if s.res.Archived {
		return s.cancelled(ctx, StepArchived, "candidate is archived in Lever")
	}
	if s.res.Refused != "" {
		// The delivery's data is not signed: Lever did not bear it out, so nothing is done. Ending
		// cancelled lets a later, real stage change start afresh.
		s.record(ctx, "not invited: "+s.res.RefusedWhy, nil)
		s.setStep(ctx, s.res.Refused)
		return s.result(), temporal.NewCanceledError("not invited: " + s.res.RefusedWhy)
	}
	if s.res.AssessmentID == "" {
		s.setStep(ctx, StepNoAssessment)
		if s.in.Trigger == TriggerApplication {
			// Most applications are for postings without an assessment: not a failure to
			// investigate. Ending cancelled still lets a later stage change start afresh.
			return s.result(), temporal.NewCanceledError("no assessment for this application's posting")
		}
		if s.res.NoAssessmentNotice {
			s.announceNoAssessment(ctx)
		}
		return s.result(), temporal.NewNonRetryableApplicationError(
			"no assessment: no candidate tag, posting tag or posting mapping names one", ErrTypeNoAssessment, nil)
	}
	s.status.AssessmentID, s.status.AssessmentTitle = s.res.AssessmentID, s.res.AssessmentTitle
	if s.res.StepWithAssessment && s.cancel == nil {
		// Every visibility write costs the server (goal 4): the assessment goes with the step.
		s.setStep(ctx, StepInviting, AttrAssessment.ValueSet(s.res.AssessmentID))
	} else {
		if err := workflow.UpsertTypedSearchAttributes(ctx, AttrAssessment.ValueSet(s.res.AssessmentID)); err != nil {
			return s.result(), err
		}
		if s.cancel != nil {
			return s.cancelled(ctx, StepCancelled, s.cancel.Reason)
		}
		s.setStep(ctx, StepInviting)
	}

	// 2. Invite (idempotent on the workflow ID), 3. tag Invited.
	if err := s.invite(ctx, s.inviteKey(ctx)); err != nil {
		return s.fail(ctx, err)
	}
	if err := s.tag(ctx, "Invited"); err != nil {
		return s.fail(ctx, err)
	}
	s.setStep(ctx, StepInvited)

	// 4. Wait for started (a submitted that arrives first implies it), 5. tag Started.
	if err := s.await(ctx, func() bool { return s.started != nil || s.submitted != nil }); err != nil {
		return s.stop(ctx, err)
	}
	if s.submitted == nil {
		s.status.StartedAt = s.started.OccurredAt
		if err := s.tag(ctx, "Started"); err != nil {
			return s.fail(ctx, err)
		}
		s.setStep(ctx, StepStarted)
		if err := s.await(ctx, func() bool { return s.submitted != nil }); err != nil {
			return s.stop(ctx, err)
		}
	}

	// 6. Rate, tag Submitted (and Passed/Failed), 7. attach the report, post feedback, move the
	// candidate on, post the note, 8. archive a low score after the grace period.
	sub := s.submitted
	s.status.SubmittedAt = sub.OccurredAt
	s.status.Flagged = sub.Flagged
	r, rateErr := rating.Rate(sub.Score, sub.MaxScore, s.res.Bands)
	if err := s.readCompletion(ctx, r, rateErr == nil); err != nil {
		return s.fail(ctx, err)
	}
	if err := s.tag(ctx, "Submitted"); err != nil {
		return s.fail(ctx, err)
	}
	s.setStep(ctx, StepSubmitted)
	marker := s.marker(ctx)
	if rateErr != nil {
		return s.invalidScore(ctx, sub, rateErr, marker)
	}
	s.status.Rating, s.status.RatingLabel, s.status.Percent = r.Value, r.Label, r.Percent
	extra := s.attachReport(ctx, sub, marker)
	var feedbackID, noteID string
	err = s.call(ctx, a.PostFeedback, activities.FeedbackInput{
		AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID,
		Rating: r.Value, RatingLabel: r.Label, Summary: feedbackSummary(s.res.AssessmentTitle, sub, r),
		ReportURL: sub.ReportURL, Marker: marker,
	}, &feedbackID)
	s.record(ctx, "post feedback "+r.OptionText(), err)
	if err != nil {
		return s.fail(ctx, err)
	}
	if s.status.Verdict != "" {
		extra = append(extra, verdictLine(s.status.Verdict, *s.comp.PassThreshold))
	}
	extra = append(extra, s.moveOn(ctx)...)
	archive := s.archiveDue(r)
	if archive {
		extra = append(extra, s.archiveLine(ctx))
	}
	err = s.call(ctx, a.PostNote, activities.NoteInput{
		AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID,
		Text: withLines(resultNote(s.res.AssessmentTitle, sub, r), extra), Marker: marker,
	}, &noteID)
	s.record(ctx, "post result note", err)
	if err != nil {
		return s.fail(ctx, err)
	}
	if archive {
		s.autoArchive(ctx)
	}
	s.setStep(ctx, StepCompleted)
	res := s.result()
	res.FeedbackID, res.NoteID = feedbackID, noteID
	return res, nil
}

// call runs a Lever activity. While the account is disconnected it waits for the reconnected
// signal (or checks every ReconnectPoll) and runs the activity again: nothing the workflow has
// received is lost, and it resumes by itself when an admin reconnects the account.
func (s *state) call(ctx workflow.Context, activity, in, out any) error {
	return s.retryDisconnected(ctx, activity, in, out, workflow.ExecuteActivity(s.leverCtx(ctx), activity, in).Get(ctx, out))
}

func disconnected(err error) bool {
	return errorType(err) == activities.ErrTypeDisconnected
}

func notFound(err error) bool {
	return errorType(err) == activities.ErrTypeNotFound
}

// errorType is an activity error's type ("" for other errors).
func errorType(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return ""
}

// leverCtx sends Lever activities to the account's own task queue, where the server holds every
// worker to the account's Lever rate.
func (s *state) leverCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithTaskQueue(ctx, LeverTaskQueue(workflow.GetInfo(ctx).TaskQueueName, s.in.AccountID))
}

// retryDisconnected takes the error of a Lever activity. While the account is disconnected it
// waits and runs the activity again, until it ends in anything else.
func (s *state) retryDisconnected(ctx workflow.Context, activity, in, out any, err error) error {
	for disconnected(err) {
		step := s.status.Step
		var appErr *temporal.ApplicationError
		errors.As(err, &appErr)
		s.status.LastError = appErr.Error()
		s.setStep(ctx, StepLeverDisconnected)
		if err := s.waitReconnected(ctx); err != nil {
			return err
		}
		s.status.LastError = ""
		s.setStep(ctx, step)
		err = workflow.ExecuteActivity(s.leverCtx(ctx), activity, in).Get(ctx, out)
	}
	return err
}

func (s *state) waitReconnected(ctx workflow.Context) error {
	for {
		seen := s.reconnects
		if _, err := workflow.AwaitWithTimeout(ctx, ReconnectPoll, func() bool { return s.reconnects > seen || s.cancel != nil }); err != nil {
			return err
		}
		if s.cancel != nil {
			return errCancelSignal
		}
		var ok bool
		if err := workflow.ExecuteActivity(ctx, a.AccountConnected, s.in.AccountID).Get(ctx, &ok); err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
}

// stop ends a wait that was interrupted by a cancel signal or a workflow cancellation.
func (s *state) stop(ctx workflow.Context, err error) (Result, error) {
	if errors.Is(err, errExpired) {
		return s.expire(ctx)
	}
	if errors.Is(err, errCancelSignal) {
		return s.cancelled(ctx, StepCancelled, s.cancel.Reason)
	}
	return s.cancelled(ctx, StepCancelled, "workflow cancelled")
}

// cancelled withdraws the invitation, if any, and ends the run as cancelled. It runs on a
// disconnected context so it still works after the workflow itself was cancelled.
func (s *state) cancelled(ctx workflow.Context, step, reason string) (Result, error) {
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	if s.status.InvitationID != "" {
		err := workflow.ExecuteActivity(dctx, a.CancelInvitation, activities.CancelInput{InvitationID: s.status.InvitationID}).Get(dctx, nil)
		s.record(dctx, "cancel invitation", err)
		if err != nil {
			s.status.LastError = err.Error()
		}
		if s.cancel == nil || s.cancel.Kind != CancelDeleted {
			if err := s.tag(dctx, "Cancelled"); err != nil {
				s.status.LastError = err.Error()
			}
		}
	}
	s.setStep(dctx, step)
	res := s.result()
	res.CancelReason = reason
	return res, temporal.NewCanceledError(reason)
}

// fail records a permanent failure and ends the run with it.
func (s *state) fail(ctx workflow.Context, err error) (Result, error) {
	var canceled *temporal.CanceledError
	if errors.As(err, &canceled) || errors.Is(err, errCancelSignal) || errors.Is(err, errExpired) {
		return s.stop(ctx, err)
	}
	if s.status.InvitationID != "" && notFound(err) {
		// The candidate is gone from Lever (deleted) while we wrote to them: withdraw the
		// invitation as a deletion would, instead of leaving it live with nobody following it.
		if s.cancel == nil {
			s.cancel = &CancelSignal{Reason: "candidate no longer in Lever", Kind: CancelDeleted}
		}
		return s.cancelled(ctx, StepCancelled, s.cancel.Reason)
	}
	s.status.LastError = err.Error()
	s.setStep(ctx, StepFailed)
	res := s.result()
	res.FailureReason = err.Error()
	return res, err
}

// invalidScore tells the recruiter in a note that the result could not be rated, and ends the run
// failed: a silent or guessed rating would be worse than none.
func (s *state) invalidScore(ctx workflow.Context, sub *SubmittedSignal, rateErr error, marker string) (Result, error) {
	s.status.LastError = rateErr.Error()
	err := s.call(ctx, a.PostNote, activities.NoteInput{
		AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID,
		Text: invalidScoreNote(s.res.AssessmentTitle, sub, rateErr), Marker: marker,
	}, nil)
	s.record(ctx, "post unrated-result note", err)
	if err != nil {
		return s.fail(ctx, err)
	}
	s.setStep(ctx, StepInvalidScore)
	res := s.result()
	res.FailureReason = rateErr.Error()
	return res, temporal.NewNonRetryableApplicationError("cannot rate the submission: "+rateErr.Error(), ErrTypeInvalidScore, nil)
}

// tag moves the candidate's assessment tag to "<Title> - <step>", removing every other status
// tag (a re-invite goes back to Invited, a cancel or an expiry can come at any step). A flagged
// submission also gets "<Title> - Flagged", a judged one "<Title> - Passed" or "- Failed".
func (s *state) tag(ctx workflow.Context, step string) error {
	title := s.res.AssessmentTitle
	remove := []string{title}
	add := []string{activities.StatusTag(title, step)}
	for _, other := range activities.StatusSteps {
		if other != step {
			remove = append(remove, activities.StatusTag(title, other))
		}
	}
	// The flag belongs to one submission: a later journey of the candidate drops it.
	if step == "Submitted" && s.submitted != nil && s.submitted.Flagged {
		add = append(add, activities.StatusTag(title, activities.FlaggedStep))
	} else {
		remove = append(remove, activities.StatusTag(title, activities.FlaggedStep))
	}
	// So does the verdict; an extension belongs to one invitation.
	for _, v := range []struct{ verdict, suffix string }{{VerdictPassed, activities.PassedStep}, {VerdictFailed, activities.FailedStep}} {
		if step == "Submitted" && s.status.Verdict == v.verdict {
			add = append(add, activities.StatusTag(title, v.suffix))
		} else {
			remove = append(remove, activities.StatusTag(title, v.suffix))
		}
	}
	if step == "Invited" {
		remove = append(remove, activities.StatusTag(title, activities.ExtendedStep))
		if s.res.HadNotSetTag {
			remove = append(remove, activities.NotSetTag) // an assessment is set now
		}
		if tag := s.res.CandidateTag; tag != "" && !slices.Contains(remove, tag) {
			remove = append(remove, tag) // the title as the recruiter typed it ("go test")
		}
	}
	// One Lever request per activity, one write to the candidate at a time (Lever documents
	// nothing about simultaneous writes): the new tag first, so the candidate always has one.
	err := s.call(ctx, a.AddTags, activities.TagInput{AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID, Tags: add}, nil)
	if err == nil {
		err = s.call(ctx, a.RemoveTags, activities.TagInput{AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID, Tags: remove}, nil)
	}
	s.record(ctx, "tag "+activities.StatusTag(title, step), err)
	return err
}

// announceNoAssessment tells the recruiter in Lever that the candidate entered a trigger stage
// with no assessment to send: one note (marked, so a retry or a replay never posts a second for
// this stage entry) and a tag to filter on. A failure is recorded, not fatal: the run ends
// NoAssessment either way.
func (s *state) announceNoAssessment(ctx workflow.Context) {
	info := workflow.GetInfo(ctx)
	err := s.call(ctx, a.PostNote, activities.NoteInput{
		AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID,
		Text: noAssessmentNote(s.res.AdminURL), Marker: markerOf(info.WorkflowExecution.ID + "/no-assessment/" + info.FirstRunID),
	}, nil)
	s.record(ctx, "post no-assessment note", err)
	if err != nil {
		s.status.LastError = err.Error()
		return
	}
	err = s.call(ctx, a.AddTags, activities.TagInput{AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID,
		Tags: []string{activities.NotSetTag}}, nil)
	s.record(ctx, "tag "+activities.NotSetTag, err)
	if err != nil {
		s.status.LastError = err.Error()
	}
}

// setStep reports the step: in the status query, the Web UI's details and the Status search
// attribute, upserted together with any other attributes given.
func (s *state) setStep(ctx workflow.Context, step string, with ...temporal.SearchAttributeUpdate) {
	s.status.Step = step
	// The Web UI shows these beside the static summary; no command, so replay is unaffected.
	workflow.SetCurrentDetails(ctx, s.details())
	// A failed upsert only affects the list view; the query still reports the step.
	_ = workflow.UpsertTypedSearchAttributes(ctx, append(with, AttrStatus.ValueSet(step))...)
}

// marker identifies the note and feedback of one invitation in Lever, so a retried post (or a
// later run for the same invitation) finds the first one instead of posting again.
func (s *state) marker(ctx workflow.Context) string {
	return markerOf(workflow.GetInfo(ctx).WorkflowExecution.ID + "/" + s.status.InvitationID)
}

// markerOf is the short reference a post carries, derived from what makes it unique.
func markerOf(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// nameCandidate makes the candidate's name and Lever page visible: in the status query, and in the
// memo. The memo is a command added after release; it is gated on the resolution's NameInMemo,
// which runs resolved before it lack, rather than on GetVersion, whose marker and search
// attribute would cost the server two more visibility writes per candidate.
func (s *state) nameCandidate(ctx workflow.Context) {
	s.status.CandidateName, s.status.LeverURL = s.res.CandidateName, s.res.LeverURL
	if !s.res.NameInMemo {
		return
	}
	// A failed upsert only costs the admin list its name column.
	_ = workflow.UpsertMemo(ctx, map[string]any{MemoCandidateName: s.res.CandidateName, MemoLeverURL: s.res.LeverURL})
}

// timeLayout is how times show to people: notes, the audit trail, the Web UI's details and update answers.
const timeLayout = "2006-01-02 15:04 MST"

// details is the run's current details in the Web UI: who, which assessment, where it stands.
func (s *state) details() string {
	var b strings.Builder
	if s.res.CandidateName != "" {
		fmt.Fprintf(&b, "**%s**", s.res.CandidateName)
	} else {
		fmt.Fprintf(&b, "Opportunity %s", s.in.OpportunityID)
	}
	if s.res.AssessmentTitle != "" {
		fmt.Fprintf(&b, " · %s", s.res.AssessmentTitle)
	}
	fmt.Fprintf(&b, "\n\nStep: %s", s.status.Step)
	if s.status.InvitationID != "" {
		fmt.Fprintf(&b, " · invitation %s", s.status.InvitationID)
	}
	if !s.status.ExpiresAt.IsZero() && s.status.SubmittedAt.IsZero() {
		fmt.Fprintf(&b, " · expires %s", s.status.ExpiresAt.UTC().Format(timeLayout))
	}
	if s.status.RatingLabel != "" {
		fmt.Fprintf(&b, " · rated %d %s", s.status.Rating, s.status.RatingLabel)
	}
	if s.status.LastError != "" {
		fmt.Fprintf(&b, "\n\nLast error: %s", s.status.LastError)
	}
	return b.String()
}

func (s *state) result() Result {
	return Result{
		Step: s.status.Step, AssessmentID: s.status.AssessmentID, InvitationID: s.status.InvitationID,
		Percent: s.status.Percent, Rating: s.status.Rating, RatingLabel: s.status.RatingLabel,
	}
}
