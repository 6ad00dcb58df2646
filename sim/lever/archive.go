package lever

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

// Archive reasons every account starts with.
const (
	ReasonUnderqualified = "reason-underqualified" // non-hired
	ReasonWithdrew       = "reason-withdrew"       // non-hired
	ReasonHired          = "reason-hired"          // hired
)

func defaultArchiveReasons() []leverapi.ArchiveReason {
	return []leverapi.ArchiveReason{
		{ID: ReasonUnderqualified, Text: "Underqualified", Type: leverapi.ArchiveReasonNonHired},
		{ID: ReasonWithdrew, Text: "Withdrew", Type: leverapi.ArchiveReasonNonHired},
		{ID: ReasonHired, Text: "Hired", Type: leverapi.ArchiveReasonHired},
	}
}

// AddArchiveReason adds (or replaces) an archive reason of the account.
func (s *Server) AddArchiveReason(accountID string, reason leverapi.ArchiveReason) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.mustAccount(accountID)
	a.reasons = slices.DeleteFunc(a.reasons, func(x leverapi.ArchiveReason) bool { return x.ID == reason.ID })
	a.reasons = append(a.reasons, reason)
}

func (a *account) archiveReason(id string) (leverapi.ArchiveReason, bool) {
	i := slices.IndexFunc(a.reasons, func(x leverapi.ArchiveReason) bool { return x.ID == id })
	if i < 0 {
		return leverapi.ArchiveReason{}, false
	}
	return a.reasons[i], true
}

// listArchiveReasons: GET /archive_reasons, optionally filtered by ?type=hired|non-hired.
func (s *Server) listArchiveReasons(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	typ := r.URL.Query().Get("type")
	s.listed(w, r, func() ([]any, answer) {
		items := []any{}
		for _, x := range a.reasons {
			if typ == "" || x.Type == typ {
				items = append(items, map[string]string{"id": x.ID, "text": x.Text, "status": "active", "type": x.Type})
			}
		}
		return items, answer{}
	})
}

// changeArchived: PUT /opportunities/:id/archived {"reason": id} archives, {"reason":
// null} unarchives; perform_as optional. Answers the opportunity, then delivers
// candidateArchiveChange if the state changed, and candidateHired for a hired reason.
func (s *Server) changeArchived(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	var body map[string]json.RawMessage
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	raw, ok := body["reason"]
	if !ok {
		writeError(w, http.StatusBadRequest, "reason is required")
		return
	}
	var reasonID string
	if !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		if err := json.Unmarshal(raw, &reasonID); err != nil || reasonID == "" {
			writeError(w, http.StatusBadRequest, "reason must be an archive reason id or null")
			return
		}
	}
	var events []event
	ans := s.locked(func() answer {
		o, ok := a.opps[p[0]]
		if !ok {
			return fail(http.StatusNotFound, "opportunity not found")
		}
		if _, err := performAs(r, a, false); err != nil {
			return fail(http.StatusBadRequest, err.Error())
		}
		reason, known := a.archiveReason(reasonID)
		if reasonID != "" && !known {
			return fail(http.StatusBadRequest, "archive reason does not exist in this account")
		}
		if (o.archived == nil && reasonID == "") || (o.archived != nil && o.archived.Reason == reasonID) {
			return data(http.StatusOK, a.opportunityJSON(o, false)) // no change, no webhook
		}
		payload := o.eventData()
		payload["fromArchived"] = archivedJSON(o.archived)
		o.archived = nil
		if reasonID != "" {
			o.archived = &archiveState{Reason: reasonID, ArchivedAt: nowMillis()}
		}
		payload["toArchived"] = archivedJSON(o.archived)
		events = append(events, event{leverapi.EventArchiveChange, payload})
		if reason.Type == leverapi.ArchiveReasonHired {
			events = append(events, event{leverapi.EventHired, o.eventData()})
		}
		return data(http.StatusOK, a.opportunityJSON(o, false))
	})
	s.answerThenDeliver(w, r, a.id, ans, events)
}
