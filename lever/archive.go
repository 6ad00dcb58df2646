package lever

import (
	"context"
	"errors"
	"net/url"
)

// Archive reason types as Lever reports them.
const (
	ArchiveReasonHired    = "hired"
	ArchiveReasonNonHired = "non-hired"
)

// ArchiveReason is a reason an opportunity can be archived with; reasons are custom per
// account. Type is ArchiveReasonHired or ArchiveReasonNonHired.
type ArchiveReason struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Type string `json:"type"`
}

// ListArchiveReasons lists the account's archive reasons (GET /archive_reasons), following
// every page.
func (c *Client) ListArchiveReasons(ctx context.Context) ([]ArchiveReason, error) {
	return listAll[ArchiveReason](ctx, c, "/archive_reasons", nil)
}

// Archive archives an opportunity with the archive reason reasonID (PUT
// /opportunities/:id/archived). perform_as is optional and sent only when set. Archiving
// with a given reason is safe to repeat, so the call is retried like a GET.
func (c *Client) Archive(ctx context.Context, opportunityID, reasonID, performAs string) error {
	if opportunityID == "" {
		return errors.New("lever: archive: empty opportunity id")
	}
	if reasonID == "" {
		return errors.New("lever: archive: empty archive reason id")
	}
	return c.do(ctx, call{
		method:     "PUT",
		path:       "/opportunities/" + url.PathEscape(opportunityID) + "/archived",
		query:      performAsQuery(performAs),
		body:       map[string]string{"reason": reasonID},
		repeatable: true, // absolute value
	}, nil)
}
