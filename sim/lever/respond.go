package lever

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	maxPageLimit = 100     // Lever's limit range is 1–100
	maxBodyBytes = 1 << 20 // request bodies are small JSON
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError answers with Lever's error body.
func writeError(w http.ResponseWriter, status int, message string) {
	fail(status, message).write(w)
}

// decodeBody reads a JSON object body into v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	return nil
}

// page answers one page of items per Lever's pagination: limit (1–100), offset as the
// opaque token from the previous page's "next".
func (s *Server) page(r *http.Request, items []any) answer {
	q := r.URL.Query()
	limit := maxPageLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageLimit {
			return fail(http.StatusBadRequest, "limit must be an integer from 1 to 100")
		}
		limit = n
	}
	limit = min(limit, s.opts.PageSize)
	start := 0
	if v := q.Get("offset"); v != "" {
		n, err := parseOffset(v)
		if err != nil || n < 0 || n > len(items) {
			return fail(http.StatusBadRequest, "invalid offset")
		}
		start = n
	}
	end := min(start+limit, len(items))
	resp := map[string]any{"data": nonNil(items[start:end]), "hasNext": end < len(items)}
	if end < len(items) {
		resp["next"] = formatOffset(end)
	}
	return answer{http.StatusOK, resp}
}

// listed collects items under the lock, then answers a page of them.
func (s *Server) listed(w http.ResponseWriter, r *http.Request, collect func() ([]any, answer)) {
	s.mu.Lock()
	items, failed := collect()
	s.mu.Unlock()
	if failed.status != 0 {
		failed.write(w)
		return
	}
	s.page(r, items).write(w)
}

// Offsets are opaque to clients, as Lever's are.
func formatOffset(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("sim:" + strconv.Itoa(n)))
}

func parseOffset(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, err
	}
	v, ok := strings.CutPrefix(string(b), "sim:")
	if !ok {
		return 0, errors.New("not a sim offset")
	}
	return strconv.Atoi(v)
}

// performAs returns the perform_as user id, checking it names a user of the account.
// required makes its absence an error, as for feedback.
func performAs(r *http.Request, a *account, required bool) (string, error) {
	id := r.URL.Query().Get("perform_as")
	if id == "" {
		if required {
			return "", errors.New("perform_as is required for this request")
		}
		return "", nil
	}
	if _, ok := a.user(id); !ok {
		return "", errors.New("perform_as does not name a user of this account")
	}
	return id, nil
}

// answer is a response computed under the lock and written after it is released, so a
// slow client never holds up the simulator.
type answer struct {
	status int
	body   any
}

// write answers the body as JSON; a nil body (204) answers the status alone.
func (a answer) write(w http.ResponseWriter) {
	if a.body == nil {
		w.WriteHeader(a.status)
		return
	}
	writeJSON(w, a.status, a.body)
}

// data wraps v in Lever's {"data": …}.
func data(status int, v any) answer { return answer{status, map[string]any{"data": v}} }

func fail(status int, message string) answer {
	return answer{status, map[string]string{"code": statusCode(status), "message": message}}
}

// locked runs f holding the simulator's lock.
func (s *Server) locked(f func() answer) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return f()
}
