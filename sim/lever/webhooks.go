package lever

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

type webhook struct {
	id, event, url, signatureToken string
	conditions                     map[string]any // as sent; never changed after creation
	createdAt                      int64
	byAPI                          bool // made by POST /webhooks, so the API may change it
}

// AddWebhook subscribes url to event for the account and returns the webhook's id, as
// an admin does by hand in Lever's settings (so the API cannot delete it). Deliveries
// are signed with signatureToken.
func (s *Server) AddWebhook(accountID, event, url, signatureToken string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.mustAccount(accountID)
	id := newID()
	a.webhooks = append(a.webhooks, webhook{id: id, event: event, url: url, signatureToken: signatureToken, createdAt: nowMillis()})
	return id
}

// MoveToStage moves the opportunity to stageID and delivers candidateStageChange.
func (s *Server) MoveToStage(ctx context.Context, accountID, opportunityID, stageID string) error {
	var payload map[string]any
	err := s.change(accountID, opportunityID, func(a *account, o *opportunity) error {
		if !a.stage(stageID) {
			return fmt.Errorf("unknown stage %q", stageID)
		}
		payload = o.eventData()
		payload["fromStageId"], payload["toStageId"] = nullable(o.StageID), stageID
		o.StageID = stageID
		return nil
	})
	if err != nil {
		return err
	}
	return s.deliver(ctx, accountID, leverapi.EventStageChange, payload)
}

// Archive archives the opportunity with reason (an archive reason id; "" unarchives) and
// delivers candidateArchiveChange.
func (s *Server) Archive(ctx context.Context, accountID, opportunityID, reason string) error {
	var payload map[string]any
	err := s.change(accountID, opportunityID, func(_ *account, o *opportunity) error {
		payload = o.eventData()
		payload["fromArchived"] = archivedJSON(o.archived)
		o.archived = nil
		if reason != "" {
			o.archived = &archiveState{Reason: reason, ArchivedAt: nowMillis()}
		}
		payload["toArchived"] = archivedJSON(o.archived)
		return nil
	})
	if err != nil {
		return err
	}
	return s.deliver(ctx, accountID, leverapi.EventArchiveChange, payload)
}

// Hire archives the opportunity as hired and delivers candidateHired (only).
func (s *Server) Hire(ctx context.Context, accountID, opportunityID string) error {
	var payload map[string]any
	err := s.change(accountID, opportunityID, func(_ *account, o *opportunity) error {
		o.archived = &archiveState{Reason: ReasonHired, ArchivedAt: nowMillis()}
		payload = o.eventData()
		return nil
	})
	if err != nil {
		return err
	}
	return s.deliver(ctx, accountID, leverapi.EventHired, payload)
}

// Delete removes the opportunity (later reads get 404) and delivers candidateDeleted.
func (s *Server) Delete(ctx context.Context, accountID, opportunityID string) error {
	var payload map[string]any
	err := s.change(accountID, opportunityID, func(a *account, o *opportunity) error {
		payload = o.eventData()
		delete(a.opps, o.ID)
		return nil
	})
	if err != nil {
		return err
	}
	return s.deliver(ctx, accountID, leverapi.EventDeleted, payload)
}

// change runs f on the opportunity under the lock.
func (s *Server) change(accountID, opportunityID string, f func(*account, *opportunity) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return fmt.Errorf("leversim: unknown account %q", accountID)
	}
	o, ok := a.opps[opportunityID]
	if !ok {
		return fmt.Errorf("leversim: unknown opportunity %q", opportunityID)
	}
	if err := f(a, o); err != nil {
		return fmt.Errorf("leversim: %w", err)
	}
	return nil
}

// eventData is the part of every candidate event's data that names the candidate.
// candidateId is the opportunity id, as in Lever's legacy candidate model.
func (o *opportunity) eventData() map[string]any {
	return map[string]any{"opportunityId": o.ID, "candidateId": o.ID, "contactId": o.ContactID}
}

func archivedJSON(st *archiveState) any {
	if st == nil {
		return nil
	}
	return *st
}

// deliver POSTs a signed envelope to every webhook of the event, synchronously, one
// attempt each. The error names each failing URL and status.
func (s *Server) deliver(ctx context.Context, accountID, event string, payload map[string]any) error {
	s.mu.Lock()
	var hooks []webhook
	for _, h := range s.accounts[accountID].webhooks {
		if h.event == event {
			hooks = append(hooks, h)
		}
	}
	s.mu.Unlock()

	var errs []error
	for _, h := range hooks {
		if err := s.deliverOne(ctx, h, payload); err != nil {
			errs = append(errs, fmt.Errorf("leversim: deliver %s to %s: %w", event, h.url, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Server) deliverOne(ctx context.Context, h webhook, payload map[string]any) error {
	token, at := newWebhookToken(), nowMillis()
	body, err := json.Marshal(map[string]any{
		"id": newID(), "event": h.event, "triggeredAt": at, "token": token,
		"signature": leverapi.Sign(h.signatureToken, token, at), "data": payload,
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Lever-Webhooks")
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode) // Lever counts 3xx as failures too
	}
	return nil
}
