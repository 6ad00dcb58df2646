package assessment

import "context"

// Invitation statuses as the platform reports them.
const (
	StatusInvited   = "invited"
	StatusStarted   = "started"
	StatusSubmitted = "submitted"
	StatusCancelled = "cancelled"
)

// Candidate is the person invited. Both fields are PII: never log them or put them
// in errors.
type Candidate struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// InviteRequest asks the platform to invite a candidate to an assessment.
type InviteRequest struct {
	// IdempotencyKey makes retries safe: the same key returns the same invitation.
	// We use the Temporal workflow ID.
	IdempotencyKey string
	AssessmentID   string
	Candidate      Candidate
	// Reference is echoed in every callback for this invitation (the workflow ID).
	Reference string
	// CallbackURL is optional; the platform's configured URL is used when empty.
	CallbackURL string
}

// Invitation is the platform's record of an invitation.
type Invitation struct {
	ID           string `json:"id"`
	AssessmentID string `json:"assessment_id"`
	Reference    string `json:"reference"`
	Status       string `json:"status"`
	InviteURL    string `json:"invite_url"`
}

// Assessment is one test a candidate can be invited to.
type Assessment struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Platform is what the workflow's activities need from an assessment platform.
type Platform interface {
	Invite(ctx context.Context, req InviteRequest) (Invitation, error)
	Cancel(ctx context.Context, invitationID string) error
	Remind(ctx context.Context, invitationID string) error
}

// Client implements Platform over HTTP.
var _ Platform = (*Client)(nil)
