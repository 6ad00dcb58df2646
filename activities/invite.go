package activities

import (
	"context"

	"github.com/assessbridge/assessbridge/assessment"
)

// Invite creates the invitation on the platform. The idempotency key (the workflow ID) makes the
// platform answer a retry with the invitation it already created, so the candidate gets one email.
func (a *Activities) Invite(ctx context.Context, in InviteInput) (InviteResult, error) {
	if in.IdempotencyKey == "" || in.AssessmentID == "" || in.CandidateEmail == "" {
		return InviteResult{}, permanent(ErrTypeInvalidInput, "invite: idempotency key, assessment and email are required")
	}
	inv, err := a.platform.Invite(ctx, assessment.InviteRequest{
		IdempotencyKey: in.IdempotencyKey,
		AssessmentID:   in.AssessmentID,
		Candidate:      assessment.Candidate{Name: in.CandidateName, Email: in.CandidateEmail},
		Reference:      in.Reference,
		CallbackURL:    a.callbackURL,
	})
	if err != nil {
		return InviteResult{}, platformErr("invite", err)
	}
	return InviteResult{InvitationID: inv.ID, InviteURL: inv.InviteURL}, nil
}

// CancelInvitation withdraws an invitation; one that is unknown or already submitted needs nothing.
func (a *Activities) CancelInvitation(ctx context.Context, in CancelInput) error {
	if in.InvitationID == "" {
		return nil
	}
	err := a.platform.Cancel(ctx, in.InvitationID)
	if err == nil || alreadyGone(err) {
		return nil
	}
	return platformErr("cancel invitation", err)
}

// Remind asks the platform to remind the candidate. An invitation already started, submitted or
// cancelled needs no reminder.
func (a *Activities) Remind(ctx context.Context, in RemindInput) error {
	if in.InvitationID == "" {
		return nil
	}
	err := a.platform.Remind(ctx, in.InvitationID)
	if err == nil || alreadyGone(err) {
		return nil
	}
	return platformErr("remind", err)
}
