package lever

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

// changeStage: PUT /opportunities/:id/stage {"stage": id}; perform_as optional. Answers
// the opportunity, then delivers candidateStageChange if the stage changed.
func (s *Server) changeStage(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	var body struct {
		Stage string `json:"stage"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.Stage == "" {
		writeError(w, http.StatusBadRequest, "stage is required")
		return
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
		if !a.stage(body.Stage) {
			return fail(http.StatusBadRequest, "stage does not exist in this account")
		}
		if o.StageID != body.Stage {
			payload := o.eventData()
			payload["fromStageId"], payload["toStageId"] = nullable(o.StageID), body.Stage
			o.StageID = body.Stage
			events = append(events, event{leverapi.EventStageChange, payload})
		}
		return data(http.StatusOK, a.opportunityJSON(o, false))
	})
	s.answerThenDeliver(w, r, a.id, ans, events)
}

// event is a webhook delivery due after an API write.
type event struct {
	name    string
	payload map[string]any
}

// answerThenDeliver writes ans completely (with a Content-Length, so the client has the
// whole answer at once), then delivers events the way Lever does after a write through
// its API: after answering, and without failing the write when a delivery fails. The
// handler returns once the deliveries are done, so closing an httptest server waits for
// them.
func (s *Server) answerThenDeliver(w http.ResponseWriter, r *http.Request, accountID string, ans answer, events []event) {
	if ans.body == nil {
		w.WriteHeader(ans.status)
	} else {
		var buf bytes.Buffer
		json.NewEncoder(&buf).Encode(ans.body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.WriteHeader(ans.status)
		w.Write(buf.Bytes())
	}
	if len(events) == 0 {
		return
	}
	http.NewResponseController(w).Flush()     // an error means no flushing here, e.g. under a fault
	ctx := context.WithoutCancel(r.Context()) // the client may hang up once answered
	for _, ev := range events {
		s.deliver(ctx, accountID, ev.name, ev.payload) // Lever retries on its own; the simulator does not
	}
}
