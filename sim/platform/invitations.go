package platform

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
)

const maxRequestBytes = 64 << 10

// inviteBody is the POST /v1/invitations body.
type inviteBody struct {
	AssessmentID string               `json:"assessment_id"`
	Candidate    assessment.Candidate `json:"candidate"`
	Reference    string               `json:"reference"`
	CallbackURL  string               `json:"callback_url"`
}

func (s *Server) handleListAssessments(w http.ResponseWriter) {
	s.mu.Lock()
	data := append([]assessment.Assessment{}, s.assessments...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request, base string) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		writeError(w, http.StatusBadRequest, "missing_idempotency_key", "Idempotency-Key header is required")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "body must be application/json")
			return
		}
	}
	var in inviteBody
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBytes)).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_json", "body is not valid json")
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.byKey[key]; ok {
		// A replay answers with the original invitation and sends nothing.
		if prev.AssessmentID != in.AssessmentID {
			writeError(w, http.StatusConflict, "idempotency_conflict", "Idempotency-Key was used with a different assessment_id")
			return
		}
		writeJSON(w, http.StatusOK, view(prev))
		return
	}
	if code, msg := s.validateInvite(in); code != "" {
		writeError(w, http.StatusUnprocessableEntity, code, msg)
		return
	}
	id := newID("inv_")
	inv := &Invitation{
		ID:             id,
		AssessmentID:   in.AssessmentID,
		Reference:      in.Reference,
		CallbackURL:    in.CallbackURL,
		IdempotencyKey: key,
		Status:         assessment.StatusInvited,
		InviteURL:      base + "/take/" + id,
		Candidate:      in.Candidate,
		CreatedAt:      time.Now().UTC(),
	}
	s.invitations = append(s.invitations, inv)
	s.byID[id] = inv
	s.byKey[key] = inv
	s.scheduleAutoPlay(id)
	writeJSON(w, http.StatusCreated, view(inv))
}

// validateInvite returns an error code and a message that never echoes PII.
// Callers hold s.mu.
func (s *Server) validateInvite(in inviteBody) (code, msg string) {
	known := false
	for _, a := range s.assessments {
		known = known || a.ID == in.AssessmentID
	}
	switch {
	case !known:
		return "unknown_assessment", "no assessment with this assessment_id"
	case !strings.Contains(in.Candidate.Email, "@"):
		return "invalid_candidate", "candidate.email is required"
	case in.Reference == "":
		return "invalid_reference", "reference is required"
	case in.CallbackURL != "" && !isAbsoluteHTTP(in.CallbackURL):
		return "invalid_callback_url", "callback_url must be an absolute http(s) url"
	}
	return "", ""
}

func isAbsoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (s *Server) handleCancel(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.byID[id]
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "not_found", "no such invitation")
	case inv.Status == assessment.StatusSubmitted:
		writeError(w, http.StatusConflict, "already_submitted", "the candidate has already submitted")
	default:
		inv.Status = assessment.StatusCancelled
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) handleRemind(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.byID[id]
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "not_found", "no such invitation")
	case inv.Status == assessment.StatusCancelled || inv.Status == assessment.StatusSubmitted:
		writeError(w, http.StatusConflict, "invitation_"+inv.Status, "the invitation is "+inv.Status)
	default:
		inv.Reminders++
		writeJSON(w, http.StatusAccepted, view(inv))
	}
}

// handleTake stands in for the candidate's assessment page linked by invite_url.
func (s *Server) handleTake(w http.ResponseWriter, id string) {
	inv, ok := s.Invitation(id)
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such invitation")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "Simulated assessment %s, invitation %s: %s\n", inv.AssessmentID, inv.ID, inv.Status)
}

// view is the API representation: no candidate data.
func view(inv *Invitation) assessment.Invitation {
	return assessment.Invitation{
		ID:           inv.ID,
		AssessmentID: inv.AssessmentID,
		Reference:    inv.Reference,
		Status:       inv.Status,
		InviteURL:    inv.InviteURL,
	}
}

func newID(prefix string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return prefix + hex.EncodeToString(b)
}
