package lever

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// NewNote is a note to add to an opportunity.
type NewNote struct {
	Value           string `json:"value"`
	Secret          bool   `json:"secret"`
	Score           int    `json:"score"` // 0 omits the score; else 1 (strong no) to 4 (strong yes)
	NotifyFollowers bool   `json:"notifyFollowers"`
}

// Note is a note as listed by Lever.
type Note struct {
	ID        string `json:"id"`
	Value     string `json:"value"` // the note fields' values joined with "\n"
	CreatedAt int64  `json:"createdAt"`
}

// AddNote adds a note (POST /opportunities/:id/notes) and returns its id.
//
// Not retried after 500/502/504 or a transport error: Lever may have stored the note.
// The caller should look for its marker with ListNotes before trying again.
func (c *Client) AddNote(ctx context.Context, opportunityID string, n NewNote, performAs string) (string, error) {
	if opportunityID == "" {
		return "", errors.New("lever: add note: empty opportunity id")
	}
	if strings.TrimSpace(n.Value) == "" {
		return "", errors.New("lever: add note: empty value")
	}
	if n.Score < 0 || n.Score > 4 {
		return "", fmt.Errorf("lever: add note: score %d outside 1-4", n.Score)
	}
	body := struct {
		Value           string `json:"value"`
		Secret          bool   `json:"secret,omitempty"`
		Score           int    `json:"score,omitempty"`
		NotifyFollowers bool   `json:"notifyFollowers,omitempty"`
	}{n.Value, n.Secret, n.Score, n.NotifyFollowers}
	var env envelope[struct {
		NoteID string `json:"noteId"`
		ID     string `json:"id"` // tolerated: a full note object instead of {noteId}
	}]
	err := c.do(ctx, call{
		method: "POST",
		path:   "/opportunities/" + url.PathEscape(opportunityID) + "/notes",
		query:  performAsQuery(performAs),
		body:   body,
	}, &env)
	if err != nil {
		return "", err
	}
	if env.Data.NoteID != "" {
		return env.Data.NoteID, nil
	}
	return env.Data.ID, nil
}

// ListNotes lists all notes of an opportunity, following every page.
func (c *Client) ListNotes(ctx context.Context, opportunityID string) ([]Note, error) {
	if opportunityID == "" {
		return nil, errors.New("lever: list notes: empty opportunity id")
	}
	wires, err := listAll[noteWire](ctx, c, "/opportunities/"+url.PathEscape(opportunityID)+"/notes", nil)
	if err != nil {
		return nil, err
	}
	notes := make([]Note, 0, len(wires))
	for _, w := range wires {
		notes = append(notes, w.note())
	}
	return notes, nil
}

// noteWire is Lever's note: the text lives in fields[].value.
type noteWire struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Value  string `json:"value"`
	Fields []struct {
		Value valueText `json:"value"`
	} `json:"fields"`
	CreatedAt millis `json:"createdAt"`
}

func (w noteWire) note() Note {
	var parts []string
	for _, f := range w.Fields {
		if f.Value != "" {
			parts = append(parts, string(f.Value))
		}
	}
	v := strings.Join(parts, "\n")
	if v == "" {
		v = w.Value
	}
	if v == "" {
		v = w.Text
	}
	return Note{ID: w.ID, Value: v, CreatedAt: int64(w.CreatedAt)}
}
