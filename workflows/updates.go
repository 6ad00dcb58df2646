package workflows

import (
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Error types of a rejected or unfinished operator update (the message says what and why).
const (
	// ErrTypeInvalidInput: the update's input is wrong (e.g. an extension out of bounds).
	ErrTypeInvalidInput = "InvalidInput"
	// ErrTypeNotApplicable: the action does not apply at the journey's current step.
	ErrTypeNotApplicable = "NotApplicable"
	// ErrTypeOvertaken: the update was accepted, but the journey moved on (submitted, expired,
	// cancelled, failed) before it could be carried out.
	ErrTypeOvertaken = "Overtaken"
)

func invalidInput(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), ErrTypeInvalidInput, nil)
}

func notApplicable(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), ErrTypeNotApplicable, nil)
}

func overtaken(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), ErrTypeOvertaken, nil)
}

// ended reports a step the journey ends at: nothing an operator asks for applies any more.
func ended(step string) bool {
	switch step {
	case StepCompleted, StepNoAssessment, StepArchived, StepInvalidScore, StepCancelled, StepExpired,
		StepFailed, StepNotInTriggerStage, StepNoSuchApplication:
		return true
	}
	return false
}

// setUpdates registers the operator updates. Each handler makes the same state change as the
// signal of the same name, so both paths behave alike; the validator only reads state (the SDK
// forbids changing it there), and a rejected update leaves no trace in the history. Registering
// handlers adds no commands, so recorded histories replay unchanged.
func (s *state) setUpdates(ctx workflow.Context) error {
	handlers := []struct {
		name      string
		handler   any
		validator any
		desc      string
	}{
		{UpdateReinvite, s.updateReinvite, s.validateReinvite,
			"Withdraw the live invitation and send a new one; answers the new invitation id."},
		{UpdateExtend, s.updateExtend, s.validateExtend,
			"Push the live invitation's deadline back by By (nanoseconds; 0 = 72h, at most 30 days); answers the new deadline."},
		{UpdateKeep, s.updateKeep, s.validateKeep,
			"Stop a pending auto-archive."},
		{UpdateCancel, s.updateCancel, s.validateCancel,
			"Stop the journey and withdraw the invitation; answers once it has ended. Use this, never terminate."},
	}
	for _, h := range handlers {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler, workflow.UpdateHandlerOptions{
			Validator: h.validator, Description: h.desc,
		}); err != nil {
			return err
		}
	}
	return nil
}

// validateLive accepts an action on the invitation only while one is out, unexpired, and
// neither submitted nor being cancelled.
func (s *state) validateLive(ctx workflow.Context, action string) error {
	switch {
	case ended(s.status.Step):
		return notApplicable("cannot %s: the journey has ended (step %q)", action, s.status.Step)
	case s.cancel != nil:
		return notApplicable("cannot %s: the journey is being cancelled", action)
	case s.submitted != nil || !s.status.SubmittedAt.IsZero():
		return notApplicable("cannot %s: the candidate has submitted (step %q)", action, s.status.Step)
	case s.status.InvitationID == "":
		return notApplicable("cannot %s: no invitation has been sent yet (step %q)", action, s.status.Step)
	case !workflow.Now(ctx).Before(s.status.ExpiresAt):
		return notApplicable("cannot %s: the invitation expired at %s", action, s.status.ExpiresAt.UTC().Format(timeLayout))
	}
	return nil
}

func (s *state) validateReinvite(ctx workflow.Context) error {
	if err := s.validateLive(ctx, "re-invite"); err != nil {
		return err
	}
	if s.reinvitesAsked > s.status.Reinvites {
		return notApplicable("cannot re-invite: a re-invite is already under way")
	}
	return nil
}

// updateReinvite asks for a re-invite as the signal does, and answers once the new invitation is
// out (the workflow carries it out in its wait loop).
func (s *state) updateReinvite(ctx workflow.Context) (ReinviteResult, error) {
	old := s.status.InvitationID
	s.reinvitesAsked++
	target := s.reinvitesAsked
	done := func() bool { return s.status.Reinvites >= target && s.status.InvitationID != old }
	if err := workflow.Await(ctx, func() bool {
		return done() || ended(s.status.Step) || s.cancel != nil || s.submitted != nil && s.status.Reinvites < target
	}); err != nil {
		return ReinviteResult{}, err
	}
	if !done() {
		return ReinviteResult{}, overtaken("re-invite not carried out: %s", s.overtakenBy())
	}
	return ReinviteResult{InvitationID: s.status.InvitationID, ExpiresAt: s.status.ExpiresAt, Reinvites: s.status.Reinvites}, nil
}

func (s *state) validateExtend(ctx workflow.Context, in ExtendSignal) error {
	switch {
	case in.By < 0:
		return invalidInput("cannot extend: By must be positive, got %s", in.By)
	case in.By > MaxExtension:
		return invalidInput("cannot extend: By %s is more than the %s allowed at once", in.By, MaxExtension)
	case in.By > 0 && in.By < MinExtension:
		return invalidInput("cannot extend: By %s is under %s; By is in nanoseconds (72h is %d), or 0 for the default %s",
			in.By, MinExtension, int64(DefaultExtension), DefaultExtension)
	}
	return s.validateLive(ctx, "extend")
}

// updateExtend queues the extension as the signal does, and answers the new deadline once the
// workflow has applied it.
func (s *state) updateExtend(ctx workflow.Context, in ExtendSignal) (ExtendResult, error) {
	s.extends = append(s.extends, in)
	target := s.status.Extensions + len(s.extends)
	done := func() bool { return s.status.Extensions >= target }
	if err := workflow.Await(ctx, func() bool {
		return done() || ended(s.status.Step) || s.cancel != nil || s.submitted != nil
	}); err != nil {
		return ExtendResult{}, err
	}
	if !done() {
		return ExtendResult{}, overtaken("deadline not extended: %s", s.overtakenBy())
	}
	return ExtendResult{InvitationID: s.status.InvitationID, ExpiresAt: s.status.ExpiresAt, Extensions: s.status.Extensions}, nil
}

func (s *state) validateKeep(_ workflow.Context, _ KeepSignal) error {
	switch {
	case s.status.Step != StepArchivePending:
		return notApplicable("nothing to keep: no auto-archive is pending (step %q)", s.status.Step)
	case s.keep != nil:
		return notApplicable("already kept: the candidate will not be archived automatically")
	case s.cancel != nil:
		return notApplicable("nothing to keep: the journey is being cancelled, which skips the auto-archive")
	}
	return nil
}

// updateKeep stops the pending auto-archive as the signal does; the archive waits on s.keep.
func (s *state) updateKeep(_ workflow.Context, in KeepSignal) (KeepResult, error) {
	s.keep = &in
	return KeepResult{ArchiveAt: s.status.ArchiveAt}, nil
}

func (s *state) validateCancel(_ workflow.Context, in CancelSignal) error {
	switch in.Kind {
	case "", CancelOperator, CancelArchived, CancelHired, CancelDeleted:
	default:
		return invalidInput("cannot cancel: unknown Kind %q (want %q, %q, %q or %q)", in.Kind, CancelOperator, CancelArchived, CancelHired, CancelDeleted)
	}
	switch {
	case ended(s.status.Step):
		return notApplicable("cannot cancel: the journey has ended (step %q)", s.status.Step)
	case s.cancel != nil:
		return notApplicable("already being cancelled (%s)", s.cancel.Reason)
	case s.status.Step == StepSubmitted:
		return notApplicable("cannot cancel: the candidate has submitted and the results are being posted")
	}
	return nil
}

// updateCancel asks for the cancellation as the signal does, and answers the step the journey
// ended at once it has withdrawn the invitation.
func (s *state) updateCancel(ctx workflow.Context, in CancelSignal) (CancelResult, error) {
	s.cancel = &in
	if err := workflow.Await(ctx, func() bool { return ended(s.status.Step) }); err != nil {
		return CancelResult{}, err
	}
	return CancelResult{Step: s.status.Step}, nil
}

// overtakenBy says why an accepted update could not be carried out.
func (s *state) overtakenBy() string {
	switch {
	case s.cancel != nil && !ended(s.status.Step):
		return "the journey is being cancelled"
	case ended(s.status.Step):
		return fmt.Sprintf("the journey ended (step %q)", s.status.Step)
	default:
		return "the candidate submitted meanwhile"
	}
}
