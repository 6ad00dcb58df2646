package lever

import (
	"context"
	"errors"
	"net/url"
)

// Posting is a job posting.
type Posting struct {
	ID              string   `json:"id"`
	Text            string   `json:"text"`
	Tags            []string `json:"tags"`
	OwnerID         string   `json:"ownerId"`
	HiringManagerID string   `json:"hiringManagerId"`
}

// GetPosting reads a posting (GET /postings/:id).
func (c *Client) GetPosting(ctx context.Context, id string) (*Posting, error) {
	if id == "" {
		return nil, errors.New("lever: get posting: empty id")
	}
	var env envelope[struct {
		ID            string   `json:"id"`
		Text          string   `json:"text"`
		Tags          []string `json:"tags"`
		Owner         ref      `json:"owner"`
		HiringManager ref      `json:"hiringManager"`
	}]
	err := c.do(ctx, call{method: "GET", path: "/postings/" + url.PathEscape(id), repeatable: true}, &env)
	if err != nil {
		return nil, err
	}
	d := env.Data
	return &Posting{ID: d.ID, Text: d.Text, Tags: d.Tags, OwnerID: string(d.Owner), HiringManagerID: string(d.HiringManager)}, nil
}
