package lever

import (
	"context"
	"errors"
	"net/url"
)

// OpportunityFilter narrows ListOpportunities.
type OpportunityFilter struct {
	// StageIDs keeps opportunities currently in any of these stages; empty means every stage.
	StageIDs []string
	// IncludeArchived lists archived opportunities too; by default only active ones.
	IncludeArchived bool
}

// ListOpportunities lists the account's opportunities matching f (GET /opportunities with
// stage_id repeated, archived=false unless f.IncludeArchived, expand=applications so
// PostingIDs works), following every page.
//
// Lever applies the filters; callers acting on the result should still check StageID and
// Archived, since a filter Lever ignored would otherwise widen the set silently.
func (c *Client) ListOpportunities(ctx context.Context, f OpportunityFilter) ([]Opportunity, error) {
	q := url.Values{"expand": {"applications"}}
	for _, id := range f.StageIDs {
		if id == "" {
			// Dropping it could turn a one-stage filter into "every stage".
			return nil, errors.New("lever: list opportunities: empty stage id")
		}
		q.Add("stage_id", id)
	}
	if !f.IncludeArchived {
		q.Set("archived", "false")
	}
	wires, err := listAll[opportunityWire](ctx, c, "/opportunities", q)
	if err != nil {
		return nil, err
	}
	out := make([]Opportunity, 0, len(wires))
	for _, w := range wires {
		out = append(out, w.opportunity())
	}
	return out, nil
}
