package web

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// Lever signs only token+triggeredAt, never the data, so a delivery seen once could be replayed
// with other data: tokens are single-use (delivery.go), and deliveries are refused once
// triggeredAt is older than maxDeliveryAge, which bounds how long a token must be remembered.
// That covers Lever's five retries with growing gaps (hours); candidates missed beyond it are
// what the backfill is for. maxDeliverySkew tolerates a sender's clock running ahead of ours.
const (
	maxDeliveryAge  = 24 * time.Hour
	maxDeliverySkew = 5 * time.Minute
)

// validOpportunityID is what an opportunity id may look like (Lever's are UUIDs, the
// simulators' slugs). The id becomes part of a workflow ID and a search attribute and is not
// covered by the signature, so anything else is refused before it reaches Temporal.
var validOpportunityID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

// leverWebhook verifies a Lever delivery and turns it into a workflow start or a cancel signal.
// It only verifies and starts, so Lever gets its answer fast; anything accepted is durable in
// Temporal before we answer 2xx. Deliveries that need nothing from us still get 2xx, so Lever
// stops retrying them. A delivery is acted on until it was once answered 2xx, and never with
// its content edited (claimDelivery).
func (s *Server) leverWebhook(w http.ResponseWriter, r *http.Request) {
	accountID := chi.URLParam(r, "account")
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	hook, err := lever.ParseWebhook(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "malformed webhook: "+err.Error())
		return
	}
	noteEvent(w, webhookEvent(hook.Event))
	log := s.log.With(zap.String("account", accountID), zap.String("event", hook.Event),
		zap.String("request_id", middleware.GetReqID(r.Context())))
	acct, err := s.accounts.Account(r.Context(), accountID)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "unknown account")
		return
	}
	if err != nil {
		log.Error("read account", zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "try again later")
		return
	}
	if !hook.Verify(acct.WebhookTokens...) {
		writeError(w, http.StatusUnauthorized, "bad signature")
		return
	}
	if age := s.now().Sub(hook.TriggeredTime()); age > maxDeliveryAge || age < -maxDeliverySkew {
		log.Info("delivery outside the accepted window; possibly a replay", zap.Duration("age", age))
		writeError(w, http.StatusUnauthorized, "stale delivery")
		return
	}
	d := deliveryOf(acct, hook)
	if !s.claimDelivery(w, r, log, d) {
		return
	}
	sw := &statusWriter{ResponseWriter: w}
	s.dispatch(sw, r, log, acct, hook)
	if sw.succeeded() {
		s.completeDelivery(r, log, d)
	}
}

// dispatch acts on a verified, claimed delivery according to its event.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, log *zap.Logger, acct store.Account, hook *lever.Webhook) {
	switch hook.Event {
	case lever.EventStageChange:
		s.stageChange(w, r, log, acct, hook)
	case lever.EventApplicationCreated:
		s.applicationCreated(w, r, log, acct, hook)
	case lever.EventArchiveChange:
		ev, err := hook.ArchiveChange()
		if err != nil {
			writeError(w, http.StatusBadRequest, "malformed webhook data: "+err.Error())
			return
		}
		if ev.ToArchived == nil { // unarchived: nothing runs for an archived candidate
			writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
			return
		}
		s.confirmCancel(w, r, log, acct.ID, ev.OpportunityID, workflows.CancelSignal{Reason: "candidate archived in Lever", Kind: workflows.CancelArchived})
	case lever.EventHired, lever.EventDeleted:
		ev, err := hook.OpportunityEvent()
		if err != nil {
			writeError(w, http.StatusBadRequest, "malformed webhook data: "+err.Error())
			return
		}
		if hook.Event == lever.EventDeleted {
			s.purge(w, r, log, acct.ID, ev.OpportunityID)
			return
		}
		s.confirmCancel(w, r, log, acct.ID, ev.OpportunityID, workflows.CancelSignal{Reason: "candidate hired in Lever", Kind: workflows.CancelHired})
	default:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
	}
}

func (s *Server) stageChange(w http.ResponseWriter, r *http.Request, log *zap.Logger, acct store.Account, hook *lever.Webhook) {
	ev, err := hook.StageChange()
	if err != nil {
		writeError(w, http.StatusBadRequest, "malformed webhook data: "+err.Error())
		return
	}
	if !namesOpportunity(w, ev.OpportunityID) {
		return
	}
	if !slices.Contains(acct.TriggerStages, ev.ToStageID) {
		// Other stages are not ours to act on.
		writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
		return
	}
	s.startJourney(w, r, log, acct, workflows.Input{
		AccountID: acct.ID, OpportunityID: ev.OpportunityID,
		TriggerStageID: ev.ToStageID, TriggeredAt: hook.TriggeredTime(), Trigger: workflows.TriggerStageChange,
	})
}

// applicationCreated invites a new applicant when the account asks for it. Whether their
// posting maps to an assessment is decided in the workflow, like for a stage change: a run
// without one ends at once as no_assessment.
func (s *Server) applicationCreated(w http.ResponseWriter, r *http.Request, log *zap.Logger, acct store.Account, hook *lever.Webhook) {
	if !acct.InviteOnApplication {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
		return
	}
	ev, err := hook.ApplicationCreated()
	if err != nil {
		writeError(w, http.StatusBadRequest, "malformed webhook data: "+err.Error())
		return
	}
	if !namesOpportunity(w, ev.OpportunityID) {
		return
	}
	s.startJourney(w, r, log, acct, workflows.Input{
		AccountID: acct.ID, OpportunityID: ev.OpportunityID, TriggeredAt: hook.TriggeredTime(), Trigger: workflows.TriggerApplication,
		ApplicationID: ev.ApplicationID, PostingID: ev.PostingID,
	})
}

// startJourney starts the candidate's journey, or joins the running one.
func (s *Server) startJourney(w http.ResponseWriter, r *http.Request, log *zap.Logger, acct store.Account, in workflows.Input) {
	id := workflows.WorkflowID(acct.ID, in.OpportunityID)
	// A duplicate or replayed delivery joins the running workflow; after a completed journey
	// (results posted) a second run is refused, so nobody is invited twice, unless the
	// account's re-invite policy allows it. Failed, cancelled or expired runs may start again.
	run, err := s.start(r.Context(), in, enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) && s.reinviteAllowed(r.Context(), acct, id) {
		run, err = s.start(r.Context(), in, enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
	}
	switch {
	case errors.As(err, &already):
		log.Info("stage change for a finished journey; not starting again", zap.String("workflow_id", id))
		writeJSON(w, http.StatusOK, map[string]string{"status": "already_completed", "workflow_id": id})
	case err != nil:
		log.Error("start workflow", zap.String("workflow_id", id), zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "could not start; retry later")
	default:
		log.Info("workflow started or joined", zap.String("workflow_id", id), zap.String("run_id", run.GetRunID()))
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "accepted", "workflow_id": id})
	}
}

// start starts (or joins) the opportunity's workflow. Where a worker shares this process's
// client (dev), the first workflow task comes back with the start (eager start), one trip
// through the server's matching fewer before the invitation; elsewhere the flag does nothing.
func (s *Server) start(ctx context.Context, in workflows.Input, reuse enumspb.WorkflowIdReusePolicy) (client.WorkflowRun, error) {
	opts, in := workflows.StartOptions(s.taskQueue(), in, reuse)
	opts.EnableEagerStart = true
	return s.temporal.ExecuteWorkflow(ctx, opts, workflows.WorkflowName, in)
}

// reinviteAllowed applies the account's re-invite policy to a candidate whose journey completed.
func (s *Server) reinviteAllowed(ctx context.Context, acct store.Account, id string) bool {
	switch acct.ReinvitePolicy {
	case store.ReinviteAlways:
		return true
	case store.ReinviteAfterN:
		desc, err := s.temporal.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			return false
		}
		closed := desc.GetWorkflowExecutionInfo().GetCloseTime()
		return closed != nil && s.now().Sub(closed.AsTime()) >= acct.ReinviteAfter
	default:
		return false
	}
}

// namesOpportunity reports whether a delivery names an opportunity to act on. When not, it has
// answered: 400 for an id that is present but malformed, 200 "ignored" for none at all (Lever's
// Test button sends empty data).
func namesOpportunity(w http.ResponseWriter, id string) bool {
	switch {
	case id == "":
		writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
		return false
	case !validOpportunityID.MatchString(id):
		writeError(w, http.StatusBadRequest, "malformed webhook data: opportunityId is not an id")
		return false
	}
	return true
}

func (s *Server) taskQueue() string {
	if s.cfg.TaskQueue != "" {
		return s.cfg.TaskQueue
	}
	return workflows.TaskQueue
}
