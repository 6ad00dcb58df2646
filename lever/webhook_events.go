package lever

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// StageChange is a candidateStageChange's data. Nulls decode to "".
type StageChange struct {
	OpportunityID string `json:"opportunityId"`
	CandidateID   string `json:"candidateId"`
	ContactID     string `json:"contactId"`
	FromStageID   string `json:"fromStageId"`
	ToStageID     string `json:"toStageId"`
}

// ArchiveChange is a candidateArchiveChange's data. ToArchived is nil when the
// opportunity was unarchived, FromArchived nil when it was active before.
type ArchiveChange struct {
	OpportunityID string        `json:"opportunityId"`
	ToArchived    *ArchiveState `json:"toArchived"`
	FromArchived  *ArchiveState `json:"fromArchived"`
}

// ArchiveState is an archive state in a webhook; Reason is the archive reason id.
type ArchiveState struct {
	Reason     string `json:"reason"`
	ArchivedAt int64  `json:"archivedAt"`
}

// OpportunityEvent is the data of candidateHired and candidateDeleted (applicationCreated has
// its own, ApplicationCreated).
type OpportunityEvent struct {
	OpportunityID string `json:"opportunityId"`
	CandidateID   string `json:"candidateId"`
	ContactID     string `json:"contactId"`
}

// StageChange decodes the data of a candidateStageChange. The "Test" button's empty data
// gives the zero value and no error.
func (w *Webhook) StageChange() (StageChange, error) {
	var d struct {
		OpportunityID ref `json:"opportunityId"`
		CandidateID   ref `json:"candidateId"`
		ContactID     ref `json:"contactId"`
		FromStageID   ref `json:"fromStageId"`
		ToStageID     ref `json:"toStageId"`
	}
	if err := w.decodeData(&d); err != nil {
		return StageChange{}, err
	}
	return StageChange{
		OpportunityID: string(d.OpportunityID), CandidateID: string(d.CandidateID), ContactID: string(d.ContactID),
		FromStageID: string(d.FromStageID), ToStageID: string(d.ToStageID),
	}, nil
}

// ArchiveChange decodes the data of a candidateArchiveChange. The reason may arrive as an
// id or as {id, text}; Reason is the id either way.
func (w *Webhook) ArchiveChange() (ArchiveChange, error) {
	type state struct {
		Reason     ref    `json:"reason"`
		ArchivedAt millis `json:"archivedAt"`
	}
	var d struct {
		OpportunityID ref    `json:"opportunityId"`
		ToArchived    *state `json:"toArchived"`
		FromArchived  *state `json:"fromArchived"`
	}
	if err := w.decodeData(&d); err != nil {
		return ArchiveChange{}, err
	}
	conv := func(s *state) *ArchiveState {
		if s == nil {
			return nil
		}
		return &ArchiveState{Reason: string(s.Reason), ArchivedAt: int64(s.ArchivedAt)}
	}
	return ArchiveChange{OpportunityID: string(d.OpportunityID), ToArchived: conv(d.ToArchived), FromArchived: conv(d.FromArchived)}, nil
}

// OpportunityEvent decodes the data of candidateHired, candidateDeleted or
// applicationCreated.
func (w *Webhook) OpportunityEvent() (OpportunityEvent, error) {
	var d struct {
		OpportunityID ref `json:"opportunityId"`
		CandidateID   ref `json:"candidateId"`
		ContactID     ref `json:"contactId"`
	}
	if err := w.decodeData(&d); err != nil {
		return OpportunityEvent{}, err
	}
	return OpportunityEvent{OpportunityID: string(d.OpportunityID), CandidateID: string(d.CandidateID), ContactID: string(d.ContactID)}, nil
}

// decodeData decodes data into v; absent or null data leaves v zero.
func (w *Webhook) decodeData(v any) error {
	d := bytes.TrimSpace(w.Data)
	if len(d) == 0 || string(d) == "null" {
		return nil
	}
	if d[0] != '{' {
		return fmt.Errorf("lever webhook: %s data is not an object", w.Event)
	}
	if err := json.Unmarshal(d, v); err != nil {
		return fmt.Errorf("lever webhook: decode %s data: %w", w.Event, err)
	}
	return nil
}

// ApplicationCreated is an applicationCreated's data. Lever documents opportunityId,
// contactId and applicationId; PostingID is "" unless the delivery names the posting
// (as postingId or posting), so callers read the opportunity to find it.
type ApplicationCreated struct {
	OpportunityID string `json:"opportunityId"`
	CandidateID   string `json:"candidateId"`
	ContactID     string `json:"contactId"`
	ApplicationID string `json:"applicationId"`
	PostingID     string `json:"postingId"`
}

// ApplicationCreated decodes the data of an applicationCreated. The "Test" button's empty
// data gives the zero value and no error.
func (w *Webhook) ApplicationCreated() (ApplicationCreated, error) {
	var d struct {
		OpportunityID ref `json:"opportunityId"`
		CandidateID   ref `json:"candidateId"`
		ContactID     ref `json:"contactId"`
		ApplicationID ref `json:"applicationId"`
		PostingID     ref `json:"postingId"`
		Posting       ref `json:"posting"`
	}
	if err := w.decodeData(&d); err != nil {
		return ApplicationCreated{}, err
	}
	posting := d.PostingID
	if posting == "" {
		posting = d.Posting
	}
	return ApplicationCreated{
		OpportunityID: string(d.OpportunityID), CandidateID: string(d.CandidateID), ContactID: string(d.ContactID),
		ApplicationID: string(d.ApplicationID), PostingID: string(posting),
	}, nil
}
