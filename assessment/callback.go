package assessment

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Callback events and the header that signs them.
const (
	EventStarted    = "started"
	EventSubmitted  = "submitted"
	SignatureHeader = "Assessment-Signature"
)

// ErrInvalidCallback wraps every ParseCallback failure, so a handler can answer 400.
var ErrInvalidCallback = errors.New("assessment: invalid callback")

// Callback is what a platform POSTs to us when a candidate starts or submits.
type Callback struct {
	// ID is unique per event; a redelivery carries the same ID.
	ID           string    `json:"id"`
	Event        string    `json:"event"`
	InvitationID string    `json:"invitation_id"`
	Reference    string    `json:"reference"`
	OccurredAt   time.Time `json:"occurred_at"`
	Result       *Result   `json:"result,omitempty"`
}

// Result is the outcome of a submitted assessment.
type Result struct {
	Score     *float64 `json:"score"` // nil = missing, the workflow reports that as an error
	MaxScore  *float64 `json:"max_score"`
	ReportURL string   `json:"report_url"`
	// ReportFileURL (optional) is where DownloadReport fetches the report as a file (a PDF)
	// to attach in Lever. Not checked here: DownloadReport refuses URLs off the platform.
	ReportFileURL string     `json:"report_file_url,omitempty"`
	Proctoring    Proctoring `json:"proctoring"`
}

// Proctoring summarises what the platform's proctoring noticed.
type Proctoring struct {
	Flagged bool   `json:"flagged"`
	Summary string `json:"summary"`
}

// ParseCallback decodes and validates a callback body: a known event, a non-empty
// reference and invitation_id, and a result on submitted. Missing scores are left
// to the workflow. Errors wrap ErrInvalidCallback and are safe to show the sender.
// Verify the signature over the same raw body first.
func ParseCallback(body []byte) (*Callback, error) {
	var cb Callback
	if err := json.Unmarshal(body, &cb); err != nil {
		return nil, fmt.Errorf("%w: malformed json: %w", ErrInvalidCallback, err)
	}
	switch {
	case cb.Event != EventStarted && cb.Event != EventSubmitted:
		return nil, fmt.Errorf("%w: event must be %q or %q", ErrInvalidCallback, EventStarted, EventSubmitted)
	case cb.Reference == "":
		return nil, fmt.Errorf("%w: reference is required", ErrInvalidCallback)
	case cb.InvitationID == "":
		return nil, fmt.Errorf("%w: invitation_id is required", ErrInvalidCallback)
	case cb.Event == EventSubmitted && cb.Result == nil:
		return nil, fmt.Errorf("%w: result is required on submitted", ErrInvalidCallback)
	}
	return &cb, nil
}
