// Package workflows holds the CandidateAssessment workflow. This file is the contract shared with
// its callers (web, worker wiring, tests): names, inputs, signals, query and search attributes.
package workflows

import (
	"context"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/activities"
)

const (
	// TaskQueue is where the worker polls for assessment workflows and activities.
	TaskQueue = "assessbridge"
	// WorkflowName is pinned at registration so a Go rename never orphans running histories.
	WorkflowName = "CandidateAssessment"

	// SignalStarted carries StartedSignal: the candidate opened the assessment.
	SignalStarted = "started"
	// SignalSubmitted carries SubmittedSignal: the candidate submitted; the result is attached.
	SignalSubmitted = "submitted"
	// SignalCancel carries CancelSignal: stop, and withdraw the invitation.
	SignalCancel = "cancel"
	// SignalReinvite (no payload): an operator asks for a fresh invitation (the old one is
	// withdrawn, timers start again). Ignored once the candidate has submitted.
	SignalReinvite = "reinvite"
	// SignalReconnected (no payload): the account's Lever connection is back; a workflow waiting
	// in StepLeverDisconnected checks and carries on.
	SignalReconnected = "reconnected"

	// SignalExtend carries ExtendSignal: push the invitation's deadline back (before submission).
	SignalExtend = "extend"
	// SignalKeep carries KeepSignal: do not archive the candidate automatically (during the
	// grace period of an auto-archive).
	SignalKeep = "keep"

	// QueryStatus returns Status.
	QueryStatus = "status"
)

// Operator updates: the same actions as the operator signals of the same names (updates and
// signals are separate namespaces), but validated first, so a wrong input or an action that does
// not apply now is rejected with a message instead of being dropped, and answered once done.
// The platform's events (started, submitted) stay signals only.
const (
	// UpdateReinvite (no input) answers ReinviteResult once the new invitation is out.
	UpdateReinvite = SignalReinvite
	// UpdateExtend takes ExtendSignal and answers ExtendResult once the deadline moved.
	UpdateExtend = SignalExtend
	// UpdateKeep takes KeepSignal and answers KeepResult.
	UpdateKeep = SignalKeep
	// UpdateCancel takes CancelSignal and answers CancelResult once the journey has ended.
	UpdateCancel = SignalCancel
)

// MaxExtension bounds one extension: a longer one is almost always a unit mistake.
const MaxExtension = 30 * 24 * time.Hour

// MinExtension bounds one extension from below: By is nanoseconds in JSON, so a small number
// ({"By":72}) is a mistake for hours, not a wish for 72ns.
const MinExtension = time.Hour

// ReinviteResult answers UpdateReinvite: the new invitation and its deadline.
type ReinviteResult struct {
	InvitationID string
	ExpiresAt    time.Time
	Reinvites    int
}

// ExtendResult answers UpdateExtend: the invitation's new deadline.
type ExtendResult struct {
	InvitationID string
	ExpiresAt    time.Time
	Extensions   int
}

// KeepResult answers UpdateKeep: the auto-archive that will not happen.
type KeepResult struct {
	ArchiveAt time.Time
}

// CancelResult answers UpdateCancel: the step the journey ended at.
type CancelResult struct {
	Step string
}

// Search attributes (Keyword) so operators can find a candidate's workflow in the Web UI,
// e.g. LeverOpportunityId = "…" or AssessmentStatus = "invited".
var (
	AttrAccount     = temporal.NewSearchAttributeKeyKeyword("LeverAccountId")
	AttrOpportunity = temporal.NewSearchAttributeKeyKeyword("LeverOpportunityId")
	AttrAssessment  = temporal.NewSearchAttributeKeyKeyword("AssessmentId")
	AttrStatus      = temporal.NewSearchAttributeKeyKeyword("AssessmentStatus")
)

// AccountQuery is the visibility query for every workflow of an account. The id is quoted as
// one string literal (backslashes and quotes escaped), whatever it holds.
func AccountQuery(accountID string) string {
	esc := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(accountID)
	return AttrAccount.GetName() + " = '" + esc + "'"
}

// SearchAttributeNames lists the Keyword attributes to register on the namespace.
func SearchAttributeNames() []string {
	return []string{AttrAccount.GetName(), AttrOpportunity.GetName(), AttrAssessment.GetName(), AttrStatus.GetName()}
}

// Steps of the journey, reported by the status query and the AssessmentStatus search attribute.
const (
	StepResolving = "resolving"
	StepInviting  = "inviting"
	StepInvited   = "invited"   // waiting for started
	StepStarted   = "started"   // waiting for submitted
	StepSubmitted = "submitted" // rating and posting results
	// StepArchivePending: results are posted; the candidate scored below the account's
	// auto-archive threshold and is archived when the grace period ends, unless kept.
	StepArchivePending = "archive_pending"
	StepCompleted      = "completed"
	StepNoAssessment   = "no_assessment"
	StepArchived       = "archived"      // the candidate was archived before an invitation was sent
	StepInvalidScore   = "invalid_score" // submitted, but the score could not be rated
	StepCancelled      = "cancelled"
	StepExpired        = "expired" // no submission before the deadline: tagged, noted, withdrawn
	StepFailed         = "failed"
	// StepLeverDisconnected: Lever access was revoked or the admin disconnected the account; the
	// workflow waits, keeping everything it has received, and resumes on reconnection.
	StepLeverDisconnected = "lever_disconnected"
	// StepNotInTriggerStage and StepNoSuchApplication end a journey whose delivery Lever does
	// not bear out: the candidate is not (or no longer) in a trigger stage, or has no such
	// application. Nothing was written anywhere.
	StepNotInTriggerStage = activities.RefusedNotInTriggerStage
	StepNoSuchApplication = activities.RefusedNoSuchApplication
)

// ReconnectPoll is how often a workflow waiting for its account checks it without a signal.
const ReconnectPoll = 15 * time.Minute

// LeverTaskQueue is the task queue of an account's Lever activities. Each account has its own so
// that the Temporal server, which rate-limits a task queue across every worker polling it, keeps
// all workers of the deployment together within the account's Lever budget (one Lever request
// per activity).
func LeverTaskQueue(taskQueue, accountID string) string {
	return taskQueue + "/lever/" + accountID
}

// WorkflowID is one workflow per Lever account and opportunity. The webhook that starts it
// names no assessment (choosing one needs Lever reads the intake must not wait for), so the
// assessment is resolved inside the run and recorded in the AssessmentId search attribute.
func WorkflowID(account, opportunity string) string {
	return fmt.Sprintf("lever/%s/%s", account, opportunity)
}

// StartOptions are how every caller (webhooks, backfill) starts a CandidateAssessment: a
// duplicate start joins the running workflow (conflict policy use-existing); reuse says whether a
// closed one may run again — ALLOW_DUPLICATE_FAILED_ONLY normally, so a completed journey is
// refused with WorkflowExecutionAlreadyStarted (the SDK would otherwise hand back the closed run
// as if it had started). Start with the Input it returns: it tells the run that its search
// attributes are set already, which saves the server a visibility write per candidate.
func StartOptions(taskQueue string, in Input, reuse enumspb.WorkflowIdReusePolicy) (client.StartWorkflowOptions, Input) {
	in.AttributesAtStart = true
	return client.StartWorkflowOptions{
		ID:                                       WorkflowID(in.AccountID, in.OpportunityID),
		TaskQueue:                                taskQueue,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:                    reuse,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		// The list and the detail page of the Web UI show these; the candidate's name comes later
		// in the run's current details, once Lever has been read (payloads, so encrypted).
		StaticSummary: fmt.Sprintf("Candidate %s of Lever account %s", in.OpportunityID, in.AccountID),
		StaticDetails: staticDetails(in),
		TypedSearchAttributes: temporal.NewSearchAttributes(
			AttrAccount.ValueSet(in.AccountID),
			AttrOpportunity.ValueSet(in.OpportunityID),
			AttrStatus.ValueSet(StepResolving)),
	}, in
}

// staticDetails says what started the journey, for the Web UI's detail page.
func staticDetails(in Input) string {
	why := "started by an operator or a backfill"
	switch in.Trigger {
	case TriggerStageChange:
		why = "the candidate entered trigger stage " + in.TriggerStageID
	case TriggerApplication:
		why = "the candidate applied to posting " + in.PostingID
	}
	return fmt.Sprintf("Assessment journey of Lever opportunity %s (account %s): %s.", in.OpportunityID, in.AccountID, why)
}

// StartPurge starts (or joins) the purge of a candidate's data.
func StartPurge(ctx context.Context, tc client.Client, taskQueue string, in PurgeInput) (client.WorkflowRun, error) {
	return startOrJoin(ctx, tc, taskQueue, PurgeWorkflowID(in.AccountID, in.OpportunityID), PurgeWorkflowName, in)
}

// StartConfirmCancel starts (or joins) the check of an archive or hire in Lever.
func StartConfirmCancel(ctx context.Context, tc client.Client, taskQueue string, in ConfirmCancelInput) (client.WorkflowRun, error) {
	return startOrJoin(ctx, tc, taskQueue, ConfirmCancelWorkflowID(in.AccountID, in.OpportunityID), ConfirmCancelWorkflowName, in)
}

// startOrJoin starts a candidate's short workflow, one at a time per candidate: a repeated start
// while one runs joins it; a closed one may run again.
func startOrJoin(ctx context.Context, tc client.Client, taskQueue, id, name string, in any) (client.WorkflowRun, error) {
	return tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, name, in)
}

// Input starts a CandidateAssessment.
type Input struct {
	AccountID     string
	OpportunityID string
	// AssessmentID skips the choice of assessment (operator starts, backfills); usually empty.
	AssessmentID string
	// TriggerStageID is the Lever stage the candidate entered (for the record).
	TriggerStageID string
	// TriggeredAt is when Lever saw the stage change.
	TriggeredAt time.Time
	// AttributesAtStart: the start set the account, opportunity and status search attributes
	// (StartOptions), so the run does not upsert them again. Operators' starts lack it.
	AttributesAtStart bool
	// Trigger is what started the journey: TriggerStageChange, TriggerApplication, or ""
	// (an operator's start or a backfill). A stage change is only acted on while Lever shows
	// the candidate in a trigger stage.
	Trigger string
	// ApplicationID and PostingID are what an applicationCreated delivery named; the journey
	// goes on only if Lever shows that application (on that posting).
	ApplicationID, PostingID string
}

// Memo fields of a journey, set once Lever was read, so lists (the admin page's recent
// candidates) can name the candidate without a query per row. Payloads: the codec encrypts them.
const (
	MemoCandidateName = "CandidateName"
	MemoLeverURL      = "LeverURL"
)

// Triggers of a journey.
const (
	TriggerStageChange = "stage_change"
	TriggerApplication = "application"
)

// Result is how the journey ended.
type Result struct {
	Step          string
	AssessmentID  string
	InvitationID  string
	Percent       float64
	Rating        int
	RatingLabel   string
	NoteID        string
	FeedbackID    string
	CancelReason  string
	FailureReason string
}

// StartedSignal: the candidate started the assessment.
type StartedSignal struct {
	EventID    string
	OccurredAt time.Time
	// InvitationID names the invitation the platform reported on; after a re-invite, signals
	// about the withdrawn invitation are ignored. Empty is accepted (older callers).
	InvitationID string
}

// SubmittedSignal: the candidate submitted; Score or MaxScore nil means the platform sent none.
type SubmittedSignal struct {
	EventID      string
	InvitationID string
	OccurredAt   time.Time
	Score        *float64
	MaxScore     *float64
	ReportURL    string
	// ReportFileURL is where the platform serves the report as a file (a PDF), to attach to
	// the candidate in Lever when the account wants it.
	ReportFileURL string
	Flagged       bool
	Proctoring    string
}

// ExtendSignal pushes the invitation's deadline back by By (DefaultExtension when zero).
type ExtendSignal struct {
	By     time.Duration
	Reason string
}

// DefaultExtension is how much an extension without a duration adds.
const DefaultExtension = 3 * 24 * time.Hour

// KeepSignal stops a pending auto-archive.
type KeepSignal struct {
	Reason string
}

// CancelSignal asks the workflow to stop and withdraw the invitation.
type CancelSignal struct {
	Reason string
	// Kind is why: CancelArchived, CancelHired, CancelDeleted or CancelOperator ("" = operator).
	// A deleted candidate gets no Cancelled tag: there is nothing left in Lever to tag.
	Kind string
}

// Kinds of cancellation.
const (
	CancelArchived = "archived"
	CancelHired    = "hired"
	CancelDeleted  = "deleted"
	CancelOperator = "operator"
)

// AuditEntry is one call the workflow made to Lever or the platform, as operators see it in the
// status query.
type AuditEntry struct {
	At      time.Time
	Action  string // e.g. "invite", "tag Go Test - Invited", "post note"
	Outcome string // "ok" or the error
}

// Status answers QueryStatus.
type Status struct {
	Step          string
	AccountID     string
	OpportunityID string
	// CandidateName and LeverURL (the opportunity in Lever) are known once Lever was read.
	CandidateName   string
	LeverURL        string
	AssessmentID    string
	AssessmentTitle string
	InvitationID    string
	StartedAt       time.Time
	SubmittedAt     time.Time
	Rating          int
	RatingLabel     string
	Percent         float64
	LastError       string
	// ExpiresAt is when the invitation expires without a submission; RemindedAt when the
	// reminder went out (zero: not yet).
	ExpiresAt  time.Time
	RemindedAt time.Time
	Reinvites  int
	Flagged    bool
	// Extensions counts deadline extensions.
	Extensions int
	// Verdict is "passed" or "failed" against the pass threshold ("" without one).
	Verdict string
	// MovedTo is the stage the candidate was moved to on submission ("" none).
	MovedTo string
	// ArchiveAt is when a pending auto-archive happens; Archived says it did.
	ArchiveAt time.Time
	Archived  bool
	Audit     []AuditEntry
}
