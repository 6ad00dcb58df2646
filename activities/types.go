package activities

import (
	"time"

	"github.com/assessbridge/assessbridge/workflows/rating"
)

// Error types of permanent failures: the workflow maps them to a status instead of retrying.
const (
	ErrTypeNoEmail           = "NoEmail"
	ErrTypeNotFound          = "OpportunityNotFound"
	ErrTypeUnknownAssessment = "UnknownAssessment"
	ErrTypeAccount           = "AccountNotReady"
	ErrTypeInvalidInput      = "InvalidInput"
	ErrTypeTemplate          = "FeedbackTemplateUnusable"
)

// ResolveInput names the candidate to resolve. AssessmentID, when set, skips the choice.
type ResolveInput struct {
	AccountID     string
	OpportunityID string
	AssessmentID  string

	// What the delivery that started the journey claimed. Lever does not sign a delivery's
	// data, so Resolve checks each claim against the opportunity it reads anyway.
	//
	// InTriggerStage: the candidate entered one of the account's trigger stages.
	InTriggerStage bool
	// ApplicationID, PostingID: the candidate applied with this application (to this posting);
	// "" claims nothing.
	ApplicationID, PostingID string
}

// Reasons Resolve gives for not going on: Lever does not show what the delivery claimed.
const (
	RefusedNotInTriggerStage = "not_in_trigger_stage"
	RefusedNoSuchApplication = "no_such_application"
)

// Resolution is what the workflow needs to invite the candidate. An empty AssessmentID means
// no assessment applies to this candidate.
type Resolution struct {
	CandidateName   string
	CandidateEmail  string
	PostingID       string
	AssessmentID    string
	AssessmentTitle string
	// Source says how the assessment was chosen (catalogue.Source…).
	Source   string
	Archived bool
	// StageID is the candidate's stage when the journey began: a move on completion only
	// happens if they are still there.
	StageID string
	Bands   []rating.Band
	// RemindAfter and ExpireAfter time the invitation (the account's settings or the defaults).
	RemindAfter time.Duration
	ExpireAfter time.Duration
	// Refused is set (one of the Refused… reasons) when Lever does not confirm what the
	// delivery claimed; RefusedWhy says what Lever shows instead. Nothing else is resolved.
	Refused, RefusedWhy string
	// NoAssessmentNotice: when no assessment is chosen, tell the recruiter in Lever (a note and
	// the NotSetTag), unless the account turned it off. Absent from histories recorded before it
	// existed, so those replay without the notice.
	NoAssessmentNotice bool
	// AdminURL is the account's admin page, for that note ("" without an admin page).
	AdminURL string
	// LeverURL is the opportunity's page in Lever (urls.show), for operators and admins.
	LeverURL string
	// NameInMemo: put the name and LeverURL in the journey's memo. Always set now; absent from
	// histories recorded before the memo existed, so those replay without it.
	NameInMemo bool
	// StepWithAssessment: set the assessment and the "inviting" step in one search attribute
	// upsert (one visibility write less per candidate). Always set now; absent from histories
	// recorded before, which upsert them one by one.
	StepWithAssessment bool
	// CandidateTag is the candidate's tag that chose the assessment, as written in Lever (it may
	// differ from the title in case); the invitation replaces it like the title.
	CandidateTag string
	// HadNotSetTag: the candidate carries NotSetTag from an earlier journey; the invitation
	// removes it.
	HadNotSetTag bool
}

// Default invitation timing: remind after 3 days without a start, expire after 7 without a
// submission.
const (
	DefaultRemindAfter = 3 * 24 * time.Hour
	DefaultExpireAfter = 7 * 24 * time.Hour
)

// InviteInput asks the platform to invite the candidate; IdempotencyKey makes retries safe.
type InviteInput struct {
	IdempotencyKey string
	Reference      string
	AssessmentID   string
	CandidateName  string
	CandidateEmail string
}

// InviteResult names the invitation the platform created (or had already created).
type InviteResult struct {
	InvitationID string
	InviteURL    string
}

// TagInput adds or removes a set of tags.
type TagInput struct {
	AccountID     string
	OpportunityID string
	Tags          []string
}

// NoteInput posts a note once: Marker is a line unique to the workflow run that a retry looks for.
type NoteInput struct {
	AccountID     string
	OpportunityID string
	Text          string
	Marker        string
}

// FeedbackInput posts the feedback form once, marked like a note.
type FeedbackInput struct {
	AccountID     string
	OpportunityID string
	Rating        int    // 1–4
	RatingLabel   string // e.g. "Hire"
	Summary       string
	ReportURL     string
	Marker        string
}

// CancelInput cancels an invitation on the platform.
type CancelInput struct {
	InvitationID string
}

// RemindInput asks the platform to remind the candidate of an invitation.
type RemindInput struct {
	InvitationID string
}
