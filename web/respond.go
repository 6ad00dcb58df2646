package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"time"
	"unicode/utf8"
)

// bodyReadTimeout bounds how long a sender may take over its body (Lever's and the platform's
// are a few KiB): a client trickling bytes holds a connection and a goroutine this long, not
// the server's whole ReadTimeout.
const bodyReadTimeout = 10 * time.Second

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
// (413 too large, 415 not JSON, 408 too slow, 400 unreadable or not UTF-8) and returns false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "text/plain") {
			writeError(w, http.StatusUnsupportedMediaType, "content type must be application/json")
			return nil, false
		}
	}
	// Best effort: a writer that cannot set deadlines leaves the server's ReadTimeout in charge.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyReadTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	var netErr net.Error
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body too large")
		return nil, false
	case errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		writeError(w, http.StatusRequestTimeout, "body not received in time")
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "cannot read body")
		return nil, false
	case !utf8.Valid(body):
		// encoding/json would quietly turn invalid bytes into U+FFFD inside ids.
		writeError(w, http.StatusBadRequest, "body is not valid UTF-8")
		return nil, false
	}
	return body, true
}
