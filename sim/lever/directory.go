package lever

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

func (post Posting) json() map[string]any {
	return map[string]any{
		"id": post.ID, "text": post.Text, "tags": nonNil(slices.Clone(post.Tags)), "state": "published",
		"owner": nullable(post.OwnerID), "hiringManager": nullable(post.HiringManagerID),
		"user": nullable(post.OwnerID), "categories": map[string]any{},
	}
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
