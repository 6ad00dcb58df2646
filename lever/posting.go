package lever

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
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

// postingServerFields are the fields of a posting Lever keeps itself; they are not sent back in
// an update.
var postingServerFields = []string{"id", "createdAt", "updatedAt", "urls"}

// UpdatePostingTags changes a posting's tags (POST /postings/:id?perform_as=…) with edit, which
// gets the tags Lever holds now and returns the tags wanted. Lever's documentation does not say
// plainly whether an update replaces fields it is not sent, so the posting is read fresh and sent
// back whole with only its tags changed: under either reading nothing a recruiter set is cleared.
// It reports whether a write was needed (false when edit changed nothing). A posting edited in
// Lever between the read and the write loses that edit, as Lever offers no conditional update.
func (c *Client) UpdatePostingTags(ctx context.Context, id string, edit func(tags []string) []string, performAs string) (bool, error) {
	if id == "" {
		return false, errors.New("lever: update posting: empty id")
	}
	if performAs == "" {
		return false, errors.New("lever: update posting: " + errNoPerformAs.Error())
	}
	path := "/postings/" + url.PathEscape(id)
	var env envelope[map[string]json.RawMessage]
	if err := c.do(ctx, call{method: "GET", path: path, repeatable: true}, &env); err != nil {
		return false, err
	}
	fields := env.Data
	if fields == nil {
		return false, fmt.Errorf("lever: update posting %s: Lever answered without the posting", id)
	}
	var tags []string
	if raw, ok := fields["tags"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &tags); err != nil {
			return false, fmt.Errorf("lever: update posting %s: read tags: %w", id, err)
		}
	}
	next := edit(slices.Clone(tags))
	if slices.Equal(next, tags) {
		return false, nil
	}
	body := make(map[string]json.RawMessage, len(fields))
	for k, v := range fields {
		if !slices.Contains(postingServerFields, k) {
			body[k] = v
		}
	}
	if next == nil {
		next = []string{}
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return false, fmt.Errorf("lever: update posting %s: encode tags: %w", id, err)
	}
	body["tags"] = raw
	// Sending the same whole posting twice leaves it as once: safe to retry.
	err = c.do(ctx, call{method: "POST", path: path, query: performAsQuery(performAs), body: body, repeatable: true}, nil)
	return err == nil, err
}
