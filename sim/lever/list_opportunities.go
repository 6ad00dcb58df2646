package lever

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

// listOpportunities serves GET /opportunities with Lever's filters the backfill relies on:
// stage_id (repeatable; comma-separated values are accepted too), archived (true: only
// archived, false: only active, absent: both) and expand=applications. Other filters are
// ignored. Items come oldest first, ties by id, an order that holds still between pages.
func (s *Server) listOpportunities(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	q := r.URL.Query()
	var stages []string
	for _, v := range q["stage_id"] {
		for id := range strings.SplitSeq(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				stages = append(stages, id)
			}
		}
	}
	var archived *bool
	switch v := q.Get("archived"); v {
	case "":
	case "true", "false":
		b := v == "true"
		archived = &b
	default:
		writeError(w, http.StatusBadRequest, "archived must be true or false")
		return
	}
	expand := slices.ContainsFunc(q["expand"], func(v string) bool {
		return slices.Contains(strings.Split(v, ","), "applications")
	})
	s.listed(w, r, func() ([]any, answer) {
		opps := make([]*opportunity, 0, len(a.opps))
		for _, o := range a.opps {
			if len(stages) > 0 && !slices.Contains(stages, o.StageID) {
				continue
			}
			if archived != nil && *archived != (o.archived != nil) {
				continue
			}
			opps = append(opps, o)
		}
		slices.SortFunc(opps, func(x, y *opportunity) int {
			return cmp.Or(cmp.Compare(x.createdAt, y.createdAt), cmp.Compare(x.ID, y.ID))
		})
		items := make([]any, 0, len(opps))
		for _, o := range opps {
			items = append(items, a.opportunityJSON(o, expand))
		}
		return items, answer{}
	})
}
