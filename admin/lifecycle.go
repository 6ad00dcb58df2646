package admin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/backfill"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// candidatePath is the candidate page of an opportunity.
func candidatePath(accountID, opp string) string {
	return accountPath(accountID) + "/candidates/" + opp
}

// opportunityID is what a Lever opportunity id looks like (a UUID; the simulators use slugs).
var opportunityID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

// candidate reads the account and the opportunity id of a candidate URL; on failure it has
// answered already.
func (h *handler) candidate(w http.ResponseWriter, r *http.Request) (store.Account, string, bool) {
	a, found := h.account(w, r)
	if !found {
		return store.Account{}, "", false
	}
	opp := chi.URLParam(r, "opp")
	if !opportunityID.MatchString(opp) {
		h.renderError(w, r, http.StatusBadRequest, "That is not an opportunity id.")
		return store.Account{}, "", false
	}
	return a, opp, true
}

// invitationsForm is the account's invitation timing and re-invite policy, in days.
type invitationsForm struct {
	RemindDays, ExpireDays, ReinviteDays string
	Policy                               string
	NoAssessmentNotice                   bool
}

func invitationsOf(a store.Account) invitationsForm {
	days := func(d, def time.Duration) string {
		if d <= 0 {
			d = def
		}
		return strconv.FormatFloat(d.Hours()/24, 'f', -1, 64)
	}
	policy := a.ReinvitePolicy
	if policy == "" {
		policy = store.ReinviteNever
	}
	return invitationsForm{
		RemindDays: days(a.RemindAfter, 3*24*time.Hour), ExpireDays: days(a.ExpireAfter, 7*24*time.Hour),
		ReinviteDays: days(a.ReinviteAfter, 30*24*time.Hour), Policy: policy, NoAssessmentNotice: !a.QuietNoAssessment,
	}
}

// saveInvitations stores the reminder and expiry delays and the re-invite policy. Running
// journeys keep the timing they started with; new invitations use the new one.
func (h *handler) saveInvitations(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID) + "#invitations"
	parse := func(field string) (time.Duration, error) {
		d, err := strconv.ParseFloat(strings.TrimSpace(r.PostForm.Get(field)), 64)
		if err != nil || d <= 0 || d > 365 {
			return 0, fmt.Errorf("%s must be a number of days from above 0 to 365", strings.ReplaceAll(field, "_", " "))
		}
		return time.Duration(d * float64(24*time.Hour)), nil
	}
	remind, err1 := parse("remind_days")
	expire, err2 := parse("expire_days")
	reinvite, err3 := parse("reinvite_days")
	policy := r.PostForm.Get("policy")
	var problems []string
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	if err1 == nil && err2 == nil && remind >= expire {
		problems = append(problems, "the reminder must come before the expiry")
	}
	if policy != store.ReinviteNever && policy != store.ReinviteAfterN && policy != store.ReinviteAlways {
		problems = append(problems, "choose a re-invite policy")
	}
	if len(problems) > 0 {
		h.flash(w, failure("Invitation settings not saved: "+strings.Join(problems, "; ")+"."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	quiet := r.PostForm.Get("no_assessment_notice") == ""
	err := h.patchAccount(r.Context(), a.ID, func(a *store.Account) {
		a.RemindAfter, a.ExpireAfter, a.ReinvitePolicy, a.ReinviteAfter = remind, expire, policy, reinvite
		a.QuietNoAssessment = quiet
	})
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin saved invitation settings", zap.String("account_id", a.ID), zap.String("policy", policy),
		zap.Bool("no_assessment_notice", !quiet))
	h.flash(w, success("Invitation settings saved; they apply to new invitations."))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// candidateAction re-invites a candidate, extends their deadline or keeps them from a pending
// auto-archive (updates, so the journey's answer or its refusal shows in the notice), or purges
// their data (purge workflow).
func (h *handler) candidateAction(w http.ResponseWriter, r *http.Request) {
	a, opp, found := h.candidate(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID) + "#candidates"
	ctx := r.Context()
	switch chi.URLParam(r, "action") {
	case "reinvite":
		h.signalJourney(ctx, w, a.ID, opp, operatorSignal{
			name:       workflows.SignalReinvite,
			notRunning: "That candidate's journey is not running; move them into a trigger stage in Lever to start a new one.",
			done:       "Re-invite sent: the old invitation is withdrawn and a new one goes out.",
			answer: func(u client.WorkflowUpdateHandle) (string, error) {
				var res workflows.ReinviteResult
				err := u.Get(context.Background(), &res)
				return fmt.Sprintf("Re-invited: the old invitation is withdrawn; the new one (%s) expires %s.",
					res.InvitationID, res.ExpiresAt.UTC().Format(dateFormat)), err
			},
		})
	case "extend":
		days, err := extensionDays(r.PostForm.Get("days"))
		if err != nil {
			h.renderError(w, r, http.StatusBadRequest, "Deadline not extended: "+err.Error()+".")
			return
		}
		h.signalJourney(ctx, w, a.ID, opp, operatorSignal{
			name:       workflows.SignalExtend,
			arg:        workflows.ExtendSignal{By: time.Duration(days) * 24 * time.Hour, Reason: "extended from the admin page"},
			steps:      extendSteps,
			notRunning: "That candidate's journey is not running, so there is no deadline to extend.",
			wrongStep:  "The deadline was not extended: the journey is at step %q, and a deadline can be extended only while the candidate is invited or has started.",
			done:       fmt.Sprintf("Extension sent: the invitation's deadline moves %d day(s) later; the candidate page shows the new date once the journey has taken it.", days),
			answer: func(u client.WorkflowUpdateHandle) (string, error) {
				var res workflows.ExtendResult
				err := u.Get(context.Background(), &res)
				return fmt.Sprintf("Extended by %d day(s): the invitation now expires %s (extended %d×).",
					days, res.ExpiresAt.UTC().Format(dateFormat), res.Extensions), err
			},
		})
		back = candidatePath(a.ID, opp)
	case "keep":
		h.signalJourney(ctx, w, a.ID, opp, operatorSignal{
			name:       workflows.SignalKeep,
			arg:        workflows.KeepSignal{Reason: "kept from the admin page"},
			steps:      keepSteps,
			notRunning: "That candidate's journey is not running, so there is no auto-archive to stop.",
			wrongStep:  "Nothing to keep: the journey is at step %q, and only a pending auto-archive can be stopped.",
			done:       "Kept: the candidate will not be archived automatically.",
			answer: func(u client.WorkflowUpdateHandle) (string, error) {
				var res workflows.KeepResult
				err := u.Get(context.Background(), &res)
				return fmt.Sprintf("Kept: the candidate will not be archived automatically (the auto-archive was due %s).",
					res.ArchiveAt.UTC().Format(dateFormat)), err
			},
		})
		back = candidatePath(a.ID, opp)
	case "purge":
		if _, err := workflows.StartPurge(ctx, h.deps.Temporal, h.taskQueue(), workflows.PurgeInput{AccountID: a.ID, OpportunityID: opp}); err != nil {
			h.log.Warn("start purge", zap.String("account_id", a.ID), zap.Error(err))
			h.flash(w, failure("Could not start the purge; try again."))
		} else {
			h.log.Info("admin purged a candidate", zap.String("account_id", a.ID), zap.String("opportunity_id", opp))
			h.flash(w, success("Purge started: the journey stops and its history is deleted."))
		}
	default:
		h.renderError(w, r, http.StatusNotFound, "Unknown action.")
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// Steps at which the candidate page offers (and the handler accepts) an extension or a keep.
var (
	extendSteps = []string{workflows.StepInvited, workflows.StepStarted}
	keepSteps   = []string{workflows.StepArchivePending}
)

// Extension bounds, in days: the default matches the workflow's own.
const (
	defaultExtensionDays = int(workflows.DefaultExtension / (24 * time.Hour))
	maxExtensionDays     = 30
)

// extensionDays reads the extend form's number of days; blank is the default.
func extensionDays(field string) (int, error) {
	field = strings.TrimSpace(field)
	if field == "" {
		return defaultExtensionDays, nil
	}
	days, err := strconv.Atoi(field)
	if err != nil || days < 1 || days > maxExtensionDays {
		return 0, fmt.Errorf("the extension must be a whole number of days from 1 to %d", maxExtensionDays)
	}
	return days, nil
}

// operatorSignal is a signal an admin sends to a candidate's journey, with its flash messages.
type operatorSignal struct {
	name string
	arg  any
	// steps the signal applies to (nil: any); wrongStep is the message otherwise, with %q for
	// the step.
	steps                       []string
	notRunning, wrongStep, done string
	// answer, when set, sends the action as the update of the same name instead and reads its
	// result (an update handle whose outcome is in) into the notice.
	answer func(client.WorkflowUpdateHandle) (string, error)
}

// dateFormat is how notices show a deadline.
const dateFormat = "2006-01-02 15:04 MST"

// updateTimeout bounds the wait for a journey's answer: a re-invite makes two platform calls,
// and the page must answer well within the server's write timeout.
const updateTimeout = 20 * time.Second

// signalJourney sends s to the candidate's running journey and flashes the outcome. The step
// comes from the AssessmentStatus search attribute, which Temporal answers without a worker: a
// stale page cannot act at the wrong step, and a busy worker does not hold the button up (the
// signal waits in the history).
func (h *handler) signalJourney(ctx context.Context, w http.ResponseWriter, accountID, opp string, s operatorSignal) {
	id := workflows.WorkflowID(accountID, opp)
	var notFound *serviceerror.NotFound
	if s.steps != nil {
		desc, err := h.deps.Temporal.DescribeWorkflowExecution(ctx, id, "")
		info := desc.GetWorkflowExecutionInfo()
		switch {
		case errors.As(err, &notFound) || err == nil && info.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
			h.flash(w, failure(s.notRunning))
			return
		case err != nil:
			h.log.Warn("describe workflow", zap.String("account_id", accountID), zap.String("signal", s.name), zap.Error(err))
			h.flash(w, failure("Could not reach Temporal; try again."))
			return
		}
		// An absent attribute (never set) leaves the decision to the workflow, which checks too.
		if step := keyword(info.GetSearchAttributes().GetIndexedFields(), workflows.AttrStatus.GetName()); step != "" && !slices.Contains(s.steps, step) {
			h.flash(w, failure(fmt.Sprintf(s.wrongStep, step)))
			return
		}
	}
	if s.answer != nil && h.updateJourney(ctx, w, accountID, opp, s) {
		return
	}
	err := h.deps.Temporal.SignalWorkflow(ctx, id, "", s.name, s.arg)
	switch {
	case errors.As(err, &notFound):
		h.flash(w, failure(s.notRunning))
	case err != nil:
		h.log.Warn("signal workflow", zap.String("account_id", accountID), zap.String("signal", s.name), zap.Error(err))
		h.flash(w, failure("Could not reach Temporal; try again."))
	default:
		h.log.Info("admin signalled a candidate's journey", zap.String("account_id", accountID),
			zap.String("opportunity_id", opp), zap.String("signal", s.name))
		h.flash(w, success(s.done))
	}
}

// updateJourney sends s as an update and flashes the journey's answer, or the reason it refused
// (its validator's message). It reports false, having flashed nothing, when the journey's worker
// predates the updates: the signal of the same name then does the same, unanswered.
func (h *handler) updateJourney(ctx context.Context, w http.ResponseWriter, accountID, opp string, s operatorSignal) bool {
	uctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()
	var args []any
	if s.arg != nil {
		args = []any{s.arg}
	}
	u, err := h.deps.Temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.WorkflowID(accountID, opp), UpdateName: s.name, Args: args,
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	var text string
	if err == nil {
		text, err = s.answer(u)
	}
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	switch {
	case errors.As(err, &appErr) && strings.HasPrefix(appErr.Message(), "unknown update"):
		return false
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTypeOvertaken:
		h.flash(w, failure("Not done: "+appErr.Message()+"."))
	case errors.As(err, &appErr):
		h.flash(w, failure("The journey refused: "+appErr.Message()+"."))
	case errors.As(err, &notFound):
		h.flash(w, failure(s.notRunning))
	case uctx.Err() != nil:
		// The request may still reach the journey: say so rather than invite a second click.
		h.log.Warn("update workflow: no answer", zap.String("account_id", accountID), zap.String("update", s.name), zap.Error(err))
		h.flash(w, failure("The journey has not answered yet (its worker may be busy); check the candidate page in a minute before trying again."))
	case err != nil:
		h.log.Warn("update workflow", zap.String("account_id", accountID), zap.String("update", s.name), zap.Error(err))
		h.flash(w, failure("Could not reach Temporal; try again."))
	default:
		h.log.Info("admin updated a candidate's journey", zap.String("account_id", accountID),
			zap.String("opportunity_id", opp), zap.String("update", s.name))
		h.flash(w, success(text))
	}
	return true
}

// runBackfill lists the candidates already in the account's trigger stages and, when the admin
// asks for it, starts their journeys, paced within the Lever budget.
func (h *handler) runBackfill(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID) + "#candidates"
	apply := r.PostForm.Get("action") == "apply"
	lc, err := h.deps.Lever(r.Context(), a.ID)
	if err != nil {
		h.flash(w, failure("Lever is not reachable for this account: connect it first."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	rep, err := backfill.Run(ctx, lc, h.deps.Temporal, h.taskQueue(), a, backfill.Options{AccountID: a.ID, Apply: apply, Out: &out})
	summary := fmt.Sprintf("%d candidate(s) in the trigger stages: %d would start, %d started, %d already running, %d already completed.",
		rep.Listed, rep.WouldStart, rep.Started, rep.AlreadyRunning, rep.AlreadyDone)
	switch {
	case err != nil:
		h.log.Warn("backfill", zap.String("account_id", a.ID), zap.Error(err))
		msg := "Backfill stopped early (" + summary + ") — run it again to carry on."
		if h.noteLeverError(ctx, a.ID, err) == store.StatusDisconnected {
			msg = "Backfill stopped (" + summary + "): Lever no longer accepts this account's credentials, so it is now marked disconnected. Connect it again."
		}
		h.flash(w, failure(msg))
	case !apply:
		h.flash(w, hint("Dry run: "+summary+" Nothing was started."))
	default:
		h.log.Info("admin backfill", zap.String("account_id", a.ID), zap.Int("started", rep.Started))
		h.flash(w, success("Backfill: "+summary))
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// candidateView is one journey's detail: where it is and every call it made.
type candidateView struct {
	AccountID, Opportunity, WorkflowID, Link string
	LeverURL                                 string // the candidate in Lever, http(s) only
	Status                                   workflows.Status
	Error                                    string
	// CanExtend and CanKeep show the buttons that apply at the journey's step.
	CanExtend, CanKeep   bool
	DefaultDays, MaxDays int // the extension's days input
}

// candidatePage shows the workflow's status query: its step and its audit trail.
func (h *handler) candidatePage(w http.ResponseWriter, r *http.Request) {
	a, opp, found := h.candidate(w, r)
	if !found {
		return
	}
	v := candidateView{AccountID: a.ID, Opportunity: opp, WorkflowID: workflows.WorkflowID(a.ID, opp),
		DefaultDays: defaultExtensionDays, MaxDays: maxExtensionDays}
	if h.cfg.UIURL != "" {
		v.Link = h.workflowLink(v.WorkflowID)
	}
	ctx, cancel := context.WithTimeout(r.Context(), pageLoadTimeout)
	defer cancel()
	res, err := h.deps.Temporal.QueryWorkflow(ctx, v.WorkflowID, "", workflows.QueryStatus)
	if err == nil {
		err = res.Get(&v.Status)
	}
	if err != nil {
		v.Error = "No journey found for this candidate (or Temporal did not answer)."
	}
	v.LeverURL = safeURL(v.Status.LeverURL)
	v.CanExtend = err == nil && slices.Contains(extendSteps, v.Status.Step)
	v.CanKeep = err == nil && slices.Contains(keepSteps, v.Status.Step)
	h.render(w, r, http.StatusOK, "candidate", view{Title: opp, CSRF: h.csrfToken(sessionFrom(r.Context())), SignedIn: true,
		Notices: h.takeFlash(w, r), Body: v})
}

func (h *handler) taskQueue() string {
	if h.cfg.TaskQueue != "" {
		return h.cfg.TaskQueue
	}
	return workflows.TaskQueue
}
