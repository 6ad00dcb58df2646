package lever

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// Opportunity is a candidate's journey for one or more postings.
type Opportunity struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Contact  string    `json:"contact"`
	Emails   []string  `json:"emails"`
	Tags     []string  `json:"tags"`
	StageID  string    `json:"stageId"`
	Archived *Archived `json:"archived"` // nil while active
	// Applications are in Lever's order; PostingID is empty unless applications were
	// expanded (GetOpportunity expands them).
	Applications []Application `json:"applications"`
	OwnerID      string        `json:"ownerId"`
	ShowURL      string        `json:"showUrl"` // urls.show: the opportunity in Lever's UI
}

// Archived is an opportunity's archive state.
type Archived struct {
	ArchivedAt int64  `json:"archivedAt"` // ms since epoch
	Reason     string `json:"reason"`     // archive reason id
}

// Application links an opportunity to a posting.
type Application struct {
	ID        string `json:"id"`
	PostingID string `json:"postingId"`
}

// PostingIDs returns the posting ids of the applications, in order, without empties or
// duplicates.
func (o *Opportunity) PostingIDs() []string {
	var ids []string
	seen := map[string]bool{}
	for _, a := range o.Applications {
		if a.PostingID == "" || seen[a.PostingID] {
			continue
		}
		seen[a.PostingID] = true
		ids = append(ids, a.PostingID)
	}
	return ids
}

// GetOpportunity reads an opportunity with its applications expanded
// (GET /opportunities/:id?expand=applications).
func (c *Client) GetOpportunity(ctx context.Context, id string) (*Opportunity, error) {
	if id == "" {
		return nil, errors.New("lever: get opportunity: empty id")
	}
	var env envelope[opportunityWire]
	err := c.do(ctx, call{
		method:     "GET",
		path:       "/opportunities/" + url.PathEscape(id),
		query:      url.Values{"expand": {"applications"}},
		repeatable: true,
	}, &env)
	if err != nil {
		return nil, err
	}
	o := env.Data.opportunity()
	return &o, nil
}

// opportunityWire is Lever's opportunity as sent: stage, owner and applications may be
// ids or expanded objects.
type opportunityWire struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Contact       ref               `json:"contact"`
	Emails        []string          `json:"emails"`
	Tags          []string          `json:"tags"`
	Stage         ref               `json:"stage"`
	Archived      *archivedWire     `json:"archived"`
	ArchivedAt    millis            `json:"archivedAt"`    // older top-level form
	ArchiveReason ref               `json:"archiveReason"` // older top-level form
	Applications  []applicationWire `json:"applications"`
	Owner         ref               `json:"owner"`
	URLs          struct {
		Show string `json:"show"`
	} `json:"urls"`
}

type archivedWire struct {
	ArchivedAt millis `json:"archivedAt"`
	Reason     ref    `json:"reason"`
}

func (w opportunityWire) opportunity() Opportunity {
	o := Opportunity{
		ID:      w.ID,
		Name:    w.Name,
		Contact: string(w.Contact),
		Emails:  w.Emails,
		Tags:    w.Tags,
		StageID: string(w.Stage),
		OwnerID: string(w.Owner),
		ShowURL: w.URLs.Show,
	}
	switch {
	case w.Archived != nil:
		o.Archived = &Archived{ArchivedAt: int64(w.Archived.ArchivedAt), Reason: string(w.Archived.Reason)}
	case w.ArchivedAt != 0:
		o.Archived = &Archived{ArchivedAt: int64(w.ArchivedAt), Reason: string(w.ArchiveReason)}
	}
	for _, a := range w.Applications {
		o.Applications = append(o.Applications, Application(a))
	}
	return o
}

// applicationWire is an application id, or an expanded application whose posting is an
// id or an object.
type applicationWire struct {
	ID        string
	PostingID string
}

func (a *applicationWire) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var o struct {
			ID      ref `json:"id"`
			Posting ref `json:"posting"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		a.ID, a.PostingID = string(o.ID), string(o.Posting)
		return nil
	}
	var id ref
	if err := json.Unmarshal(b, &id); err != nil {
		return err
	}
	a.ID = string(id)
	return nil
}
