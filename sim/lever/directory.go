package lever

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

func (post Posting) json() map[string]any {
	m := map[string]any{"state": "published", "user": nullable(post.OwnerID), "categories": map[string]any{}}
	maps.Copy(m, post.Fields)
	maps.Copy(m, map[string]any{
		"id": post.ID, "text": post.Text, "tags": nonNil(slices.Clone(post.Tags)),
		"owner": nullable(post.OwnerID), "hiringManager": nullable(post.HiringManagerID),
		"createdAt": int64(1700000000000), "updatedAt": int64(1700000000000) + int64(post.Updates),
		"urls": map[string]any{"show": "https://hire.lever.co/jobs/" + post.ID},
	})
	return m
}

// postingServerFields are kept by Lever: an update does not set them.
var postingServerFields = []string{"id", "createdAt", "updatedAt", "urls"}

// updatePosting: POST /postings/:id?perform_as=… with the posting's fields, text required.
// Lever's reference does not say plainly whether a field left out of the update is kept; the
// simulator takes the stricter reading and clears it, so a client that sends only what it
// changes is caught losing what a recruiter set.
func (s *Server) updatePosting(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	var body map[string]json.RawMessage
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var next Posting
	if err := json.Unmarshal(body["text"], &next.Text); err != nil || strings.TrimSpace(next.Text) == "" {
		writeError(w, http.StatusBadRequest, "text is required")
		return
	}
	if raw, ok := body["tags"]; ok {
		if err := json.Unmarshal(raw, &next.Tags); err != nil {
			writeError(w, http.StatusBadRequest, "tags must be an array of strings")
			return
		}
	}
	for field, id := range map[string]*string{"owner": &next.OwnerID, "hiringManager": &next.HiringManagerID} {
		if raw, ok := body[field]; ok && string(raw) != "null" {
			if err := json.Unmarshal(raw, id); err != nil {
				writeError(w, http.StatusBadRequest, field+" must be a user id")
				return
			}
		}
	}
	next.Fields = map[string]any{}
	for k, raw := range body {
		if slices.Contains(postingServerFields, k) || slices.Contains([]string{"text", "tags", "owner", "hiringManager"}, k) {
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			writeError(w, http.StatusBadRequest, "invalid field "+k)
			return
		}
		next.Fields[k] = v
	}
	s.locked(func() answer {
		cur, ok := a.postings[p[0]]
		if !ok {
			return fail(http.StatusNotFound, "posting not found")
		}
		user, err := performAs(r, a, true)
		if err != nil {
			return fail(http.StatusBadRequest, err.Error())
		}
		for _, id := range []string{next.OwnerID, next.HiringManagerID} {
			if _, known := a.user(id); id != "" && !known {
				return fail(http.StatusBadRequest, "owner and hiringManager must be users of this account")
			}
		}
		next.ID, next.Updates, next.UpdatedBy = cur.ID, cur.Updates+1, user
		a.postings[cur.ID] = next
		return data(http.StatusOK, next.json())
	}).write(w)
}

func (s *Server) getPosting(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	s.locked(func() answer {
		post, ok := a.postings[p[0]]
		if !ok {
			return fail(http.StatusNotFound, "posting not found")
		}
		return data(http.StatusOK, post.json())
	}).write(w)
}

// listPostings lists postings by id, an order that holds still between pages.
func (s *Server) listPostings(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	s.listed(w, r, func() ([]any, answer) {
		items := make([]any, 0, len(a.postings))
		for _, id := range slices.Sorted(maps.Keys(a.postings)) {
			items = append(items, a.postings[id].json())
		}
		return items, answer{}
	})
}

func (s *Server) listStages(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	s.listed(w, r, func() ([]any, answer) {
		items := make([]any, 0, len(a.stages))
		for _, st := range a.stages {
			items = append(items, map[string]string{"id": st.ID, "text": st.Text})
		}
		return items, answer{}
	})
}

// listUsers filters by ?email= (case-insensitive), as Lever's GET /users does.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	email := strings.TrimSpace(r.URL.Query().Get("email"))
	s.listed(w, r, func() ([]any, answer) {
		items := []any{}
		for _, u := range a.users {
			if email != "" && !strings.EqualFold(u.Email, email) {
				continue
			}
			items = append(items, map[string]any{
				"id": u.ID, "name": u.Name, "username": strings.Split(u.Email, "@")[0], "email": u.Email,
				"accessRole": "super admin", "deactivatedAt": nil,
			})
		}
		return items, answer{}
	})
}
