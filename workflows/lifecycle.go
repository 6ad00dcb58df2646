package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/activities"
)

var (
	errCancelSignal = errors.New("cancel signal")
	errExpired      = errors.New("invitation expired")
)

// current reports whether a platform signal is about the invitation in force (re-invites
// withdraw the earlier one). Signals without an id, or before the invitation is known, count.
func (s *state) current(invitationID string) bool {
	return invitationID == "" || s.status.InvitationID == "" || invitationID == s.status.InvitationID
}

// inviteKey is the platform idempotency key of this run's invitation: retries of the invite
// get the same invitation, while a later run for the same candidate (after an expiry, a
// cancellation or a permitted re-entry) gets a new one instead of the withdrawn one.
func (s *state) inviteKey(ctx workflow.Context) string {
	info := workflow.GetInfo(ctx)
	return info.WorkflowExecution.ID + "/" + info.FirstRunID
}

// invite creates the invitation (idempotent on key) and starts its clock.
func (s *state) invite(ctx workflow.Context, key string) error {
	wfID := workflow.GetInfo(ctx).WorkflowExecution.ID
	var inv activities.InviteResult
	err := workflow.ExecuteActivity(ctx, a.Invite, activities.InviteInput{
		IdempotencyKey: key, Reference: wfID, AssessmentID: s.res.AssessmentID,
		CandidateName: s.res.CandidateName, CandidateEmail: s.res.CandidateEmail,
	}).Get(ctx, &inv)
	s.record(ctx, "invite to "+s.res.AssessmentID, err)
	if err != nil {
		return err
	}
	s.status.InvitationID = inv.InvitationID
	if s.res.RemindAfter <= 0 {
		s.res.RemindAfter = activities.DefaultRemindAfter
	}
	if s.res.ExpireAfter <= 0 {
		s.res.ExpireAfter = activities.DefaultExpireAfter
	}
	now := workflow.Now(ctx)
	s.remindAt = now.Add(s.res.RemindAfter)
	s.status.ExpiresAt = now.Add(s.res.ExpireAfter)
	s.status.RemindedAt = time.Time{}
	return nil
}

// await blocks until cond holds. Meanwhile it sends the reminder when due, carries out
// re-invites, and ends with errExpired at the deadline or errCancelSignal on a cancel.
func (s *state) await(ctx workflow.Context, cond func() bool) error {
	for {
		switch {
		case cond():
			return nil
		case s.cancel != nil:
			return errCancelSignal
		}
		if s.reinvitesAsked > s.status.Reinvites {
			if err := s.reinvite(ctx); err != nil {
				return err
			}
			continue
		}
		if s.extendPending() {
			if err := s.extend(ctx); err != nil {
				return err
			}
			continue
		}
		next, reminding := s.status.ExpiresAt, s.started == nil && s.status.RemindedAt.IsZero() && s.remindAt.Before(s.status.ExpiresAt)
		if reminding {
			next = s.remindAt
		}
		if wait := next.Sub(workflow.Now(ctx)); wait > 0 {
			_, err := workflow.AwaitWithTimeout(ctx, wait, func() bool {
				return cond() || s.cancel != nil || s.reinvitesAsked > s.status.Reinvites || s.extendPending()
			})
			if err != nil {
				return err
			}
			continue
		}
		if !reminding {
			return errExpired
		}
		err := workflow.ExecuteActivity(ctx, a.Remind, activities.RemindInput{InvitationID: s.status.InvitationID}).Get(ctx, nil)
		s.record(ctx, "remind", err) // a failed reminder is noted, not fatal
		s.status.RemindedAt = workflow.Now(ctx)
	}
}

// reinvite withdraws the current invitation and sends a fresh one with its own clock.
func (s *state) reinvite(ctx workflow.Context) error {
	err := workflow.ExecuteActivity(ctx, a.CancelInvitation, activities.CancelInput{InvitationID: s.status.InvitationID}).Get(ctx, nil)
	s.record(ctx, "withdraw invitation for re-invite", err)
	if err != nil {
		return err
	}
	s.status.Reinvites++
	s.started, s.submitted = nil, nil
	if err := s.invite(ctx, fmt.Sprintf("%s/reinvite-%d", s.inviteKey(ctx), s.status.Reinvites)); err != nil {
		return err
	}
	if err := s.tag(ctx, "Invited"); err != nil {
		return err
	}
	s.setStep(ctx, StepInvited)
	return nil
}

// expire ends an invitation nobody submitted in time: withdrawn on the platform, tagged
// "<Title> - Expired" and explained in a note. The run ends cancelled, so moving the candidate
// into the trigger stage again invites them afresh.
func (s *state) expire(ctx workflow.Context) (Result, error) {
	err := workflow.ExecuteActivity(ctx, a.CancelInvitation, activities.CancelInput{InvitationID: s.status.InvitationID}).Get(ctx, nil)
	s.record(ctx, "withdraw expired invitation", err)
	if err := s.tag(ctx, "Expired"); err != nil {
		return s.fail(ctx, err)
	}
	note := fmt.Sprintf("%s: the invitation expired on %s without a submission (sent %s before).",
		s.res.AssessmentTitle, s.status.ExpiresAt.UTC().Format(timeLayout), s.res.ExpireAfter)
	if s.started != nil {
		note += " The candidate had started it."
	}
	err = s.call(ctx, a.PostNote, activities.NoteInput{AccountID: s.in.AccountID, OpportunityID: s.in.OpportunityID,
		Text: note, Marker: s.marker(ctx)}, nil)
	s.record(ctx, "post expiry note", err)
	if err != nil {
		return s.fail(ctx, err)
	}
	s.setStep(ctx, StepExpired)
	res := s.result()
	res.CancelReason = "invitation expired"
	return res, temporal.NewCanceledError("invitation expired")
}

// record adds a call to the audit trail the status query shows.
func (s *state) record(ctx workflow.Context, action string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = err.Error()
	}
	s.status.Audit = append(s.status.Audit, AuditEntry{At: workflow.Now(ctx), Action: action, Outcome: outcome})
}
