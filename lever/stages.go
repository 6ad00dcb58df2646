package lever

import "context"

// Stage is a pipeline stage; stages are custom per account.
type Stage struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// ListStages lists the account's stages (GET /stages), following every page.
func (c *Client) ListStages(ctx context.Context) ([]Stage, error) {
	return listAll[Stage](ctx, c, "/stages", nil)
}
