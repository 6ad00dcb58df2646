package lever

import (
	"context"
	"errors"
	"fmt"
	"slices"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

// Apply adds an opportunity that applied to o.PostingID, as a candidate applying on the
// careers page does, and delivers applicationCreated. Its data carries opportunityId,
// candidateId, contactId and applicationId, as Lever documents it, but no posting id:
// receivers read the opportunity to learn the posting.
func (s *Server) Apply(ctx context.Context, accountID string, o Opportunity) error {
	if o.ID == "" || o.PostingID == "" {
		return errors.New("leversim: apply: opportunity id and posting id are required")
	}
	var payload map[string]any
	err := func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		a, ok := s.accounts[accountID]
		if !ok {
			return fmt.Errorf("leversim: unknown account %q", accountID)
		}
		if _, ok := a.postings[o.PostingID]; !ok {
			return fmt.Errorf("leversim: unknown posting %q", o.PostingID)
		}
		if _, ok := a.opps[o.ID]; ok {
			return fmt.Errorf("leversim: opportunity %q exists", o.ID)
		}
		if o.StageID != "" && !a.stage(o.StageID) {
			return fmt.Errorf("leversim: unknown stage %q", o.StageID)
		}
		if o.ContactID == "" {
			o.ContactID = "contact-" + o.ID
		}
		opp := &opportunity{Opportunity: o, createdAt: nowMillis()}
		opp.Emails, opp.Tags = slices.Clone(o.Emails), slices.Clone(o.Tags)
		a.opps[o.ID] = opp
		payload = opp.eventData()
		payload["applicationId"] = "application-" + o.ID // as opportunityJSON names it
		return nil
	}()
	if err != nil {
		return err
	}
	return s.deliver(ctx, accountID, leverapi.EventApplicationCreated, payload)
}
