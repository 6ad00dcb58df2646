package assessment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// inviteBody is the wire form of InviteRequest; the idempotency key travels in a header.
type inviteBody struct {
	AssessmentID string    `json:"assessment_id"`
	Candidate    Candidate `json:"candidate"`
	Reference    string    `json:"reference"`
	CallbackURL  string    `json:"callback_url,omitempty"`
}

// Invite creates an invitation, or returns the one already created under
// req.IdempotencyKey. Reusing a key for another assessment yields ErrConflict.
func (c *Client) Invite(ctx context.Context, req InviteRequest) (Invitation, error) {
	if req.IdempotencyKey == "" {
		return Invitation{}, errors.New("assessment: invite: idempotency key is required")
	}
	if req.AssessmentID == "" {
		return Invitation{}, errors.New("assessment: invite: assessment id is required")
	}
	header := http.Header{"Idempotency-Key": {req.IdempotencyKey}}
	body := inviteBody{
		AssessmentID: req.AssessmentID,
		Candidate:    req.Candidate,
		Reference:    req.Reference,
		CallbackURL:  req.CallbackURL,
	}
	var inv Invitation
	if err := c.do(ctx, "invite", http.MethodPost, "/v1/invitations", header, body, &inv); err != nil {
		return Invitation{}, err
	}
	if inv.ID == "" {
		return Invitation{}, fmt.Errorf("assessment: invite: %w: invitation without id", errUnreadableResponse)
	}
	return inv, nil
}

// Cancel withdraws an invitation. Cancelling twice is fine; an unknown invitation
// yields ErrNotFound, a submitted one ErrConflict.
func (c *Client) Cancel(ctx context.Context, invitationID string) error {
	if invitationID == "" {
		return errors.New("assessment: cancel: invitation id is required")
	}
	return c.do(ctx, "cancel", http.MethodDelete, "/v1/invitations/"+url.PathEscape(invitationID), nil, nil, nil)
}

// Remind asks the platform to remind the candidate. An unknown invitation yields
// ErrNotFound; a cancelled or submitted one ErrConflict.
func (c *Client) Remind(ctx context.Context, invitationID string) error {
	if invitationID == "" {
		return errors.New("assessment: remind: invitation id is required")
	}
	return c.do(ctx, "remind", http.MethodPost, "/v1/invitations/"+url.PathEscape(invitationID)+"/remind", nil, nil, nil)
}

// ListAssessments returns the assessments candidates can be invited to (for the
// admin page's posting → assessment mapping).
func (c *Client) ListAssessments(ctx context.Context) ([]Assessment, error) {
	var out struct {
		Data []Assessment `json:"data"`
	}
	if err := c.do(ctx, "list assessments", http.MethodGet, "/v1/assessments", nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Data, nil
}
