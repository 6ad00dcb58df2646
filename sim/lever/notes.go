package lever

import (
	"net/http"
	"strings"
)

type note struct {
	NoteRecord
	secret    bool
	createdAt int64
}

// createNote: body value (required), secret, score (1–4), notifyFollowers, createdAt;
// answers 201 {"data":{"noteId":…}}.
func (s *Server) createNote(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	var body struct {
		Value           *string `json:"value"`
		Secret          bool    `json:"secret"`
		Score           *int    `json:"score"`
		NotifyFollowers bool    `json:"notifyFollowers"`
		CreatedAt       *int64  `json:"createdAt"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.Value == nil || strings.TrimSpace(*body.Value) == "" {
		writeError(w, http.StatusBadRequest, "value is required")
		return
	}
	score := 0
	if body.Score != nil {
		if *body.Score < 1 || *body.Score > 4 {
			writeError(w, http.StatusBadRequest, "score must be an integer from 1 to 4")
			return
		}
		score = *body.Score
	}
	s.locked(func() answer {
		o, ok := a.opps[p[0]]
		if !ok {
			return fail(http.StatusNotFound, "opportunity not found")
		}
		user, err := performAs(r, a, false)
		if err != nil {
			return fail(http.StatusBadRequest, err.Error())
		}
		n := note{
			NoteRecord: NoteRecord{ID: newID(), Value: *body.Value, PerformAs: user, Score: score},
			secret:     body.Secret,
			createdAt:  nowMillis(),
		}
		if body.CreatedAt != nil && *body.CreatedAt > 0 {
			n.createdAt = *body.CreatedAt
		}
		o.notes = append(o.notes, n)
		return data(http.StatusCreated, map[string]string{"noteId": n.ID})
	}).write(w)
}

// listNotes renders notes as Lever does: the text in fields[].value.
func (s *Server) listNotes(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	s.listed(w, r, func() ([]any, answer) {
		o, ok := a.opps[p[0]]
		if !ok {
			return nil, fail(http.StatusNotFound, "opportunity not found")
		}
		items := make([]any, 0, len(o.notes))
		for _, n := range o.notes {
			field := map[string]any{
				"type": "note", "text": "note", "value": n.Value,
				"createdAt": n.createdAt, "user": nullable(n.PerformAs), "score": nil,
			}
			if n.Score != 0 {
				field["score"] = n.Score
			}
			items = append(items, map[string]any{
				"id": n.ID, "fields": []any{field}, "user": nullable(n.PerformAs),
				"secret": n.secret, "completedAt": n.createdAt, "createdAt": n.createdAt, "deletedAt": nil,
			})
		}
		return items, answer{}
	})
}
