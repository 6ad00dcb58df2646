package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	noteOutcome(w, v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// readBody reads a JSON body of at most MaxBodyBytes; on failure it has answered already
// (413 too large, 415 not JSON, 400 unreadable) and returns false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "text/plain") {
			writeError(w, http.StatusUnsupportedMediaType, "content type must be application/json")
			return nil, false
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body too large")
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "cannot read body")
		return nil, false
	}
	return body, true
}
