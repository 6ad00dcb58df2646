package platform

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
)

// serveControl is the simulator's own HTTP control surface, for driving it from a shell while
// the dev stack runs (tests use the Go methods):
//
//	GET  /_sim/invitations                    the invitations, oldest first
//	POST /_sim/invitations/{id}/start         send the signed started callback ({id} may be
//	     "latest": the newest invitation, so a shell needs no id to copy)
//	POST /_sim/invitations/{id}/submit        send submitted; body is a result:
//	     {"score":42,"max_score":60,"report_url":"…","proctoring":{"flagged":false,"summary":"…"}}
//	PUT  /_sim/autoplay                       play every new invitation's candidate, e.g.
//	     {"start_after":"2s","submit_after":"5s","skip_start":false,"results":[{"score":42,"max_score":60}]}
//	DELETE /_sim/autoplay                     stop auto-play
//	GET  /_sim/autoplay                       what auto-play did so far
//
// Start and submit answer 204 once our callback was taken, else 502 with the reason.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/") // _sim, invitations[, id, action]
	switch {
	case len(segs) == 2 && segs[1] == "autoplay":
		s.serveAutoPlay(w, r)
	case len(segs) == 2 && segs[1] == "invitations" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"data": s.Invitations()})
	case len(segs) == 4 && segs[1] == "invitations" && r.Method == http.MethodPost:
		if segs[2] == "latest" {
			inv, ok := s.latestInvitation()
			if !ok {
				writeError(w, http.StatusNotFound, "not_found", "no invitation yet")
				return
			}
			segs[2] = inv.ID
		}
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

// autoPlayBody is AutoPlay on the control surface, durations as Go duration strings.
type autoPlayBody struct {
	StartAfter  string              `json:"start_after"`
	SubmitAfter string              `json:"submit_after"`
	SkipStart   bool                `json:"skip_start"`
	Results     []assessment.Result `json:"results"`
}

func (s *Server) serveAutoPlay(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, s.AutoPlayStats())
	case http.MethodDelete:
		s.SetAutoPlay(nil)
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		var b autoPlayBody
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&b); err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "body must be an autoplay object")
			return
		}
		p := AutoPlay{SkipStart: b.SkipStart, Results: b.Results}
		for _, d := range []struct {
			raw string
			to  *time.Duration
		}{{b.StartAfter, &p.StartAfter}, {b.SubmitAfter, &p.SubmitAfter}} {
			if d.raw == "" {
				continue
			}
			v, err := time.ParseDuration(d.raw)
			if err != nil || v < 0 {
				writeError(w, http.StatusBadRequest, "bad_request", "start_after and submit_after must be durations such as 2s")
				return
			}
			*d.to = v
		}
		s.SetAutoPlay(&p)
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed")
	}
}

// latestInvitation is the newest invitation.
func (s *Server) latestInvitation() (Invitation, bool) {
	all := s.Invitations() // creation order
	if len(all) == 0 {
		return Invitation{}, false
	}
	return all[len(all)-1], true
}
