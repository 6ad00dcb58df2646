package codec

import (
	"net/http"
	"strings"
)

// corsAllowHeaders are the request headers the Web UI sends to a codec endpoint:
// Authorization and Authorization-Extras when it passes its access and id tokens.
const corsAllowHeaders = "Authorization, Authorization-Extras, Content-Type, X-Namespace"

// originSet is the browser origins allowed to call the endpoint, compared exactly.
type originSet map[string]bool

// newOriginSet normalises configured origins: browsers send no trailing slash and lowercase
// scheme and host, while configuration often has either.
func newOriginSet(origins []string) originSet {
	s := originSet{}
	for _, o := range origins {
		if o = strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/")); o != "" {
			s[o] = true
		}
	}
	return s
}

// allowCORS sets the CORS response headers when r comes from an allowed origin and reports
// whether it did. Allow-Origin names that one origin, as credentials are allowed.
func (s originSet) allowCORS(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" || !s[strings.ToLower(origin)] {
		return false
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	return true
}

// originAbsentOrAllowed reports whether r names no origin (not a cross-origin browser request)
// or an allowed one. A cookie rides along on any same-site request, so it only counts from the
// configured Web UI origins.
func (s originSet) originAbsentOrAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	return origin == "" || s[strings.ToLower(origin)]
}

// answerPreflight answers an OPTIONS request, which carries no credentials and so is answered
// without the token. A disallowed origin gets 403 and no CORS headers, so its browser refuses.
func answerPreflight(w http.ResponseWriter, r *http.Request, corsAllowed bool) {
	if r.Header.Get("Origin") != "" && !corsAllowed {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	w.Header().Set("Allow", "POST, OPTIONS")
	if corsAllowed {
		w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
		w.Header().Set("Access-Control-Allow-Headers", corsAllowHeaders)
		w.Header().Set("Access-Control-Max-Age", "600")
		// A public Web UI calling a codec on a private network needs Chrome's consent too.
		if r.Header.Get("Access-Control-Request-Private-Network") == "true" {
			w.Header().Set("Access-Control-Allow-Private-Network", "true")
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
