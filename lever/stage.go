package lever

import (
	"context"
	"errors"
	"net/url"
)

// ChangeStage moves an opportunity to stageID (PUT /opportunities/:id/stage). perform_as
// is optional and sent only when set. Setting an absolute stage is safe to repeat, so the
// call is retried like a GET; the caller decides beforehand whether the move is still
// wanted (a person may have moved the candidate since).
func (c *Client) ChangeStage(ctx context.Context, opportunityID, stageID, performAs string) error {
	if opportunityID == "" {
		return errors.New("lever: change stage: empty opportunity id")
	}
	if stageID == "" {
		return errors.New("lever: change stage: empty stage id")
	}
	return c.do(ctx, call{
		method:     "PUT",
		path:       "/opportunities/" + url.PathEscape(opportunityID) + "/stage",
		query:      performAsQuery(performAs),
		body:       map[string]string{"stage": stageID},
		repeatable: true, // absolute value
	}, nil)
}
