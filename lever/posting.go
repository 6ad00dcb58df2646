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
	var env envelope[postingWire]
	err := c.do(ctx, call{method: "GET", path: "/postings/" + url.PathEscape(id), repeatable: true}, &env)
	if err != nil {
		return nil, err
	}
	p := env.Data.posting()
	return &p, nil
}

// ListPostings lists the account's postings (GET /postings), following every page.
func (c *Client) ListPostings(ctx context.Context) ([]Posting, error) {
	wires, err := listAll[postingWire](ctx, c, "/postings", nil)
	if err != nil {
		return nil, err
	}
	out := make([]Posting, 0, len(wires))
	for _, w := range wires {
		out = append(out, w.posting())
	}
	return out, nil
}

// postingWire is a posting as Lever sends it: owner and hiring manager may be ids or
// expanded objects.
type postingWire struct {
	ID            string   `json:"id"`
	Text          string   `json:"text"`
	Tags          []string `json:"tags"`
	Owner         ref      `json:"owner"`
	HiringManager ref      `json:"hiringManager"`
}

func (w postingWire) posting() Posting {
	return Posting{ID: w.ID, Text: w.Text, Tags: w.Tags, OwnerID: string(w.Owner), HiringManagerID: string(w.HiringManager)}
}
