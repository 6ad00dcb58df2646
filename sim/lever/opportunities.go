package lever

import (
	"net/http"
	"slices"
	"strings"
)

// opportunityJSON renders o as Lever does: stage and owner as ids, applications as ids
// unless expanded.
func (a *account) opportunityJSON(o *opportunity, expandApplications bool) map[string]any {
	var apps []any
	if o.PostingID != "" {
		appID := "application-" + o.ID
		if expandApplications {
			p := a.postings[o.PostingID]
			apps = append(apps, map[string]any{
				"id": appID, "type": "posting", "candidateId": o.ID, "opportunityId": o.ID,
				"posting": o.PostingID, "postingOwner": nullable(p.OwnerID),
				"postingHiringManager": nullable(p.HiringManagerID), "createdAt": o.createdAt,
				"user": nil, "archived": nil,
			})
		} else {
			apps = append(apps, appID)
		}
	}
	var archived any
	if o.archived != nil {
		archived = *o.archived
	}
	return map[string]any{
		"id":           o.ID,
		"name":         o.Name,
		"headline":     "",
		"contact":      o.ContactID,
		"emails":       nonNil(slices.Clone(o.Emails)),
		"phones":       []any{},
		"links":        []any{},
		"location":     "",
		"stage":        nullable(o.StageID),
		"owner":        nullable(o.OwnerID),
		"tags":         nonNil(slices.Clone(o.Tags)), // encoded after the lock is released
		"sources":      []any{},
		"origin":       "applied",
		"archived":     archived,
		"applications": nonNil(apps),
		"followers":    []any{},
		"createdAt":    o.createdAt,
		"isAnonymized": false,
		"urls": map[string]string{
			"list": "https://hire.lever.co/candidates",
			"show": "https://hire.lever.co/candidates/" + o.ID,
		},
	}
}

func (s *Server) getOpportunity(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	expand := slices.ContainsFunc(r.URL.Query()["expand"], func(v string) bool {
		return slices.Contains(strings.Split(v, ","), "applications")
	})
	s.locked(func() answer {
		o, ok := a.opps[p[0]]
		if !ok {
			return fail(http.StatusNotFound, "opportunity not found")
		}
		return data(http.StatusOK, a.opportunityJSON(o, expand))
	}).write(w)
}

func (s *Server) addTags(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	s.changeTags(w, r, a, p[0], func(tags, change []string) []string {
		for _, t := range change {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		return tags
	})
}

func (s *Server) removeTags(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	s.changeTags(w, r, a, p[0], func(tags, change []string) []string {
		return slices.DeleteFunc(tags, func(t string) bool { return slices.Contains(change, t) })
	})
}

// changeTags applies a set change from {"tags": […]} and answers the opportunity.
func (s *Server) changeTags(w http.ResponseWriter, r *http.Request, a *account, id string, apply func(tags, change []string) []string) {
	var body struct {
		Tags []string `json:"tags"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.Tags == nil {
		writeError(w, http.StatusBadRequest, "tags is required")
		return
	}
	s.locked(func() answer {
		o, ok := a.opps[id]
		if !ok {
			return fail(http.StatusNotFound, "opportunity not found")
		}
		if _, err := performAs(r, a, false); err != nil {
			return fail(http.StatusBadRequest, err.Error())
		}
		o.Tags = apply(o.Tags, body.Tags)
		return data(http.StatusOK, a.opportunityJSON(o, false))
	}).write(w)
}

// nullable renders "" as JSON null, as Lever does for unset references.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nonNil renders a nil slice as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
