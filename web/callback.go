package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5/middleware"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/workflows"
)

// assessmentCallback verifies a platform callback and signals the workflow it names.
// 404 tells the platform the reference is unknown (so it alerts), 409 that the journey is over.
func (s *Server) assessmentCallback(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	err := assessment.VerifySignature(s.cfg.CallbackSecret, r.Header.Get(assessment.SignatureHeader), body, s.now(), s.cfg.CallbackTolerance)
	if err != nil {
		writeError(w, http.StatusUnauthorized, "bad signature")
		return
	}
	cb, err := assessment.ParseCallback(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	noteEvent(w, callbackEvent(cb.Event))
	if !ourReference(cb.Reference) {
		writeError(w, http.StatusNotFound, "unknown reference")
		return
	}
	name, arg := signalFor(cb)
	err = s.temporal.SignalWorkflow(r.Context(), cb.Reference, "", name, arg)
	log := s.log.With(zap.String("workflow_id", cb.Reference), zap.String("event", cb.Event),
		zap.String("request_id", middleware.GetReqID(r.Context())))
	var notFound *serviceerror.NotFound
	switch {
	case errors.As(err, &notFound):
		// A closed journey (409) is told from one that never existed (404).
		if st, err := s.journeyStatus(r.Context(), cb.Reference); err == nil && st != enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED {
			writeError(w, http.StatusConflict, "assessment journey already finished")
			return
		}
		writeError(w, http.StatusNotFound, "unknown reference")
	case err != nil:
		log.Error("signal workflow", zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "could not deliver; retry later")
	default:
		log.Info("callback delivered")
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
	}
}

// maxReferenceLen is far above any workflow ID we make ("lever/" + account + "/" + opportunity).
const maxReferenceLen = 256

// ourReference tells whether ref can name one of our workflows: Temporal answers a control or
// non-ASCII character in a workflow ID with an internal error, which must not become a 503.
func ourReference(ref string) bool {
	if !strings.HasPrefix(ref, "lever/") || len(ref) > maxReferenceLen {
		return false
	}
	for i := 0; i < len(ref); i++ {
		if ref[i] <= ' ' || ref[i] > '~' {
			return false
		}
	}
	return true
}

func signalFor(cb *assessment.Callback) (string, any) {
	if cb.Event == assessment.EventStarted {
		return workflows.SignalStarted, workflows.StartedSignal{EventID: cb.ID, OccurredAt: cb.OccurredAt, InvitationID: cb.InvitationID}
	}
	sig := workflows.SubmittedSignal{EventID: cb.ID, OccurredAt: cb.OccurredAt, InvitationID: cb.InvitationID}
	if res := cb.Result; res != nil {
		sig.Score, sig.MaxScore, sig.ReportURL, sig.ReportFileURL = res.Score, res.MaxScore, res.ReportURL, res.ReportFileURL
		sig.Flagged, sig.Proctoring = res.Proctoring.Flagged, res.Proctoring.Summary
	}
	return workflows.SignalSubmitted, sig
}
