package lever

import (
	"net/http"
	"net/url"
	"strings"
)

// serveControl is a small API to drive the simulator from outside Go tests:
//
//	POST /_sim/opportunities/{id}/stage   {"account":…, "stageId":…}
//	POST /_sim/opportunities/{id}/archive {"account":…, "reason":…}  ("" unarchives)
//	POST /_sim/opportunities/{id}/hire    {"account":…}
//	POST /_sim/opportunities/{id}/delete  {"account":…}
//	POST /_sim/opportunities/{id}/apply   {"account":…, "postingId":…, "name":…, "email":…, "stageId":…}
//
// Each answers 204 once the webhooks are delivered, else 400 with the error.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	segs := strings.Split(strings.Trim(path, "/"), "/") // _sim, opportunities, id, action
	if r.Method != http.MethodPost || len(segs) != 4 || segs[1] != "opportunities" {
		writeError(w, http.StatusNotFound, "unknown control endpoint")
		return
	}
	id, err := url.PathUnescape(segs[2])
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad opportunity id")
		return
	}
	var body struct {
		Account string `json:"account"`
		StageID string `json:"stageId"`
		Reason  string `json:"reason"`
		// apply only
		PostingID string `json:"postingId"`
		Name      string `json:"name"`
		Email     string `json:"email"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx := r.Context()
	switch segs[3] {
	case "stage":
		err = s.MoveToStage(ctx, body.Account, id, body.StageID)
	case "archive":
		err = s.Archive(ctx, body.Account, id, body.Reason)
	case "hire":
		err = s.Hire(ctx, body.Account, id)
	case "delete":
		err = s.Delete(ctx, body.Account, id)
	case "apply":
		o := Opportunity{ID: id, Name: body.Name, StageID: body.StageID, PostingID: body.PostingID}
		if body.Email != "" {
			o.Emails = []string{body.Email}
		}
		err = s.Apply(ctx, body.Account, o)
	default:
		writeError(w, http.StatusNotFound, "unknown control action")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
