package web

import (
	"context"
	"errors"
	"net/http"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/workflows"
)

// Lever signs a delivery's token and time, not its data: an archive, hire or deletion named in
// one is checked in Lever before anything is cancelled or purged. The front door only starts the
// check (a short workflow on the account's Lever queue), so Lever gets its answer fast.

// confirmCancel starts the check that cancels the candidate's running journey once Lever shows
// them archived. A candidate without a running journey needs nothing, and costs no Lever call.
func (s *Server) confirmCancel(w http.ResponseWriter, r *http.Request, log *zap.Logger, accountID, opportunityID string, sig workflows.CancelSignal) {
	if !namesOpportunity(w, opportunityID) {
		return
	}
	id := workflows.WorkflowID(accountID, opportunityID)
	status, err := s.journeyStatus(r.Context(), id)
	switch {
	case err != nil:
		log.Error("describe workflow", zap.String("workflow_id", id), zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "could not cancel; retry later")
		return
	case status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
		return
	}
	in := workflows.ConfirmCancelInput{AccountID: accountID, OpportunityID: opportunityID, Signal: sig}
	if _, err := workflows.StartConfirmCancel(r.Context(), s.temporal, s.taskQueue(), in); err != nil {
		log.Error("start cancel check", zap.String("workflow_id", id), zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "could not cancel; retry later")
		return
	}
	log.Info("cancel check started", zap.String("workflow_id", workflows.ConfirmCancelWorkflowID(accountID, opportunityID)))
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "cancelling", "workflow_id": id})
}

// purge starts the GDPR purge of a candidate Lever reported deleted: once Lever answers 404 for
// them, their journey is stopped and its history, which holds their personal data, deleted. A
// candidate who never had a journey has nothing to purge.
func (s *Server) purge(w http.ResponseWriter, r *http.Request, log *zap.Logger, accountID, opportunityID string) {
	if !namesOpportunity(w, opportunityID) {
		return
	}
	status, err := s.journeyStatus(r.Context(), workflows.WorkflowID(accountID, opportunityID))
	switch {
	case err != nil:
		log.Error("describe workflow", zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "could not start the purge; retry later")
		return
	case status == enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
		return
	}
	in := workflows.PurgeInput{AccountID: accountID, OpportunityID: opportunityID, IfDeletedInLever: true}
	if _, err := workflows.StartPurge(r.Context(), s.temporal, s.taskQueue(), in); err != nil {
		log.Error("start purge", zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "could not start the purge; retry later")
		return
	}
	log.Info("candidate purge started", zap.String("workflow_id", workflows.PurgeWorkflowID(accountID, opportunityID)))
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "purging"})
}

// journeyStatus is the status of the latest run under the workflow ID; UNSPECIFIED when there is
// none. Other errors (Temporal unreachable) are returned, so the sender is answered 503 and retries.
func (s *Server) journeyStatus(ctx context.Context, id string) (enumspb.WorkflowExecutionStatus, error) {
	desc, err := s.temporal.DescribeWorkflowExecution(ctx, id, "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED, nil
	}
	if err != nil {
		return enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED, err
	}
	return desc.GetWorkflowExecutionInfo().GetStatus(), nil
}
