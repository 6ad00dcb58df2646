package lever

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// AddTags adds tags to an opportunity (POST /opportunities/:id/addTags). Adding a tag
// twice is harmless, so the call is retried like a GET.
func (c *Client) AddTags(ctx context.Context, opportunityID string, tags []string, performAs string) error {
	return c.changeTags(ctx, "addTags", opportunityID, tags, performAs)
}

// RemoveTags removes tags from an opportunity (POST /opportunities/:id/removeTags).
func (c *Client) RemoveTags(ctx context.Context, opportunityID string, tags []string, performAs string) error {
	return c.changeTags(ctx, "removeTags", opportunityID, tags, performAs)
}

func (c *Client) changeTags(ctx context.Context, op, opportunityID string, tags []string, performAs string) error {
	if opportunityID == "" {
		return fmt.Errorf("lever: %s: empty opportunity id", op)
	}
	if len(tags) == 0 {
		return nil // nothing to change; Lever would reject an empty list anyway
	}
	return c.do(ctx, call{
		method:     "POST",
		path:       "/opportunities/" + url.PathEscape(opportunityID) + "/" + op,
		query:      performAsQuery(performAs),
		body:       map[string][]string{"tags": tags},
		repeatable: true, // set semantics
	}, nil)
}

// performAsQuery sends perform_as only when set: it is optional for tags and notes.
func performAsQuery(performAs string) url.Values {
	if performAs == "" {
		return nil
	}
	return url.Values{"perform_as": {performAs}}
}

// errNoPerformAs is returned before sending a write Lever refuses without perform_as.
var errNoPerformAs = errors.New("perform_as user id is required")
