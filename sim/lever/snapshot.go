package lever

import (
	"maps"
	"slices"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

// OpportunityState is what a recruiter would see on an opportunity.
type OpportunityState struct {
	Tags     []string
	StageID  string
	Notes    []NoteRecord
	Feedback []FeedbackRecord
	Archived bool
	// ArchiveReason is the archive reason id while archived, else "".
	ArchiveReason string
	Files         []FileRecord // in upload order
}

// NoteRecord is a stored note.
type NoteRecord struct {
	ID, Value, PerformAs string
	Score                int
}

// FeedbackRecord is a stored feedback form.
type FeedbackRecord struct {
	ID, TemplateID, PerformAs string
	Values                    map[string]any // field id → value as sent
	Rating                    string         // the score-system value
}

// Snapshot returns a copy of the opportunity's state; false if it does not exist.
func (s *Server) Snapshot(accountID, opportunityID string) (OpportunityState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return OpportunityState{}, false
	}
	o, ok := a.opps[opportunityID]
	if !ok {
		return OpportunityState{}, false
	}
	st := OpportunityState{Tags: slices.Clone(o.Tags), StageID: o.StageID, Archived: o.archived != nil}
	if o.archived != nil {
		st.ArchiveReason = o.archived.Reason
	}
	for _, f := range o.files {
		st.Files = append(st.Files, f.FileRecord)
	}
	for _, n := range o.notes {
		st.Notes = append(st.Notes, n.NoteRecord)
	}
	for _, fb := range o.feedback {
		r := fb.FeedbackRecord
		r.Values = maps.Clone(r.Values)
		st.Feedback = append(st.Feedback, r)
	}
	return st, true
}

// Templates returns copies of the account's feedback templates, in creation order.
func (s *Server) Templates(accountID string) []leverapi.FeedbackTemplate {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return nil
	}
	out := make([]leverapi.FeedbackTemplate, 0, len(a.templates))
	for _, t := range a.templates {
		c := t.FeedbackTemplate
		c.Fields = slices.Clone(c.Fields)
		for i := range c.Fields {
			c.Fields[i].Options = slices.Clone(c.Fields[i].Options)
		}
		out = append(out, c)
	}
	return out
}
