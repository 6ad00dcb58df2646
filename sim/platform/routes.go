package platform

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// ServeHTTP routes by the path's tail, so the simulator works mounted under any
// prefix: …/v1/assessments, …/v1/invitations[/{id}[/remind|/report.pdf]], …/take/{id}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveControl(w, r)
		return
	}
	prefix, segs := splitPath(r.URL.Path)
	isInvite := r.Method == http.MethodPost && len(segs) == 2 && segs[0] == "v1" && segs[1] == "invitations"
	if isInvite {
		s.mu.Lock()
		s.inviteRequests++
		s.mu.Unlock()
	}
	if s.applyFault(w, r) {
		return
	}

	if len(segs) == 2 && segs[0] == "take" && r.Method == http.MethodGet {
		s.handleTake(w, segs[1]) // the candidate's page: no API key
		return
	}
	if len(segs) == 0 || segs[0] != "v1" {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint")
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="assessment-platform"`)
		writeError(w, http.StatusUnauthorized, "unauthorized", "missing or invalid api key")
		return
	}

	switch {
	case len(segs) == 2 && segs[1] == "assessments":
		if !allow(w, r, http.MethodGet) {
			return
		}
		s.handleListAssessments(w)
	case isInvite:
		s.handleInvite(w, r, externalBase(r, prefix))
	case len(segs) == 3 && segs[1] == "invitations":
		if !allow(w, r, http.MethodDelete) {
			return
		}
		s.handleCancel(w, segs[2])
	case len(segs) == 4 && segs[1] == "invitations" && segs[3] == reportPath:
		if !allow(w, r, http.MethodGet) {
			return
		}
		s.handleReport(w, segs[2])
	case len(segs) == 4 && segs[1] == "invitations" && segs[3] == "remind":
		if !allow(w, r, http.MethodPost) {
			return
		}
		s.handleRemind(w, segs[2])
	default:
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint")
	}
}

// splitPath finds the API part of the path ("v1/…" or "take/…") and returns what
// precedes it (the mount prefix) and its segments.
func splitPath(p string) (prefix string, segs []string) {
	all := strings.Split(strings.Trim(p, "/"), "/")
	for i := len(all) - 1; i >= 0; i-- {
		if all[i] == "v1" || all[i] == "take" {
			return "/" + strings.Join(all[:i], "/"), all[i:]
		}
	}
	return "", all
}

// externalBase is the simulator's base URL as the caller reached it, for
// invite_url. With http.StripPrefix the stripped part is still in RequestURI.
func externalBase(r *http.Request, prefix string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if uri, _, _ := strings.Cut(r.RequestURI, "?"); strings.HasSuffix(uri, r.URL.Path) {
		if outer := strings.TrimSuffix(uri, r.URL.Path); outer != "" {
			prefix = strings.TrimRight(outer, "/") + prefix
		}
	}
	return scheme + "://" + r.Host + strings.TrimRight(prefix, "/")
}

func (s *Server) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && s.opts.APIKey != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.APIKey)) == 1
}

func allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed")
	return false
}
