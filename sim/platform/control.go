package platform

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/assessbridge/assessbridge/assessment"
)

// serveControl is the simulator's own HTTP control surface, for driving it from a shell while
// the dev stack runs (tests use the Go methods):
//
//	GET  /_sim/invitations                    the invitations, oldest first
//	POST /_sim/invitations/{id}/start         send the signed started callback
//	POST /_sim/invitations/{id}/submit        send submitted; body is a result:
//	     {"score":42,"max_score":60,"report_url":"…","proctoring":{"flagged":false,"summary":"…"}}
//
// Start and submit answer 204 once our callback was taken, else 502 with the reason.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/") // _sim, invitations[, id, action]
	switch {
	case len(segs) == 2 && segs[1] == "invitations" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"data": s.Invitations()})
	case len(segs) == 4 && segs[1] == "invitations" && r.Method == http.MethodPost:
		var err error
		switch segs[3] {
		case "start":
			err = s.Start(r.Context(), segs[2])
		case "submit":
			var res assessment.Result
			if derr := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&res); derr != nil {
				writeError(w, http.StatusBadRequest, "bad_request", "body must be a result object")
				return
			}
			err = s.Submit(r.Context(), segs[2], res)
		default:
			writeError(w, http.StatusNotFound, "not_found", "unknown control action")
			return
		}
		if err != nil {
			writeError(w, http.StatusBadGateway, "callback_failed", err.Error())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, http.StatusNotFound, "not_found", "unknown control endpoint")
	}
}
