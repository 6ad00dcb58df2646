package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
)

// Start marks the invitation started and delivers a signed "started" callback,
// once, synchronously (no redelivery: tests drive retries). It fails for a
// cancelled or submitted invitation, on transport errors and on non-2xx answers.
func (s *Server) Start(ctx context.Context, invitationID string) error {
	return s.advance(ctx, invitationID, assessment.EventStarted, nil)
}

// Submit marks the invitation submitted and delivers a signed "submitted" callback
// carrying r. Submitting again re-sends (with a new event id); a cancelled
// invitation fails.
func (s *Server) Submit(ctx context.Context, invitationID string, r assessment.Result) error {
	return s.advance(ctx, invitationID, assessment.EventSubmitted, &r)
}

func (s *Server) advance(ctx context.Context, invitationID, event string, r *assessment.Result) error {
	cb, target, err := s.transition(invitationID, event, r)
	if err != nil {
		return fmt.Errorf("platform sim: %s %s: %w", event, invitationID, err)
	}
	status, err := s.deliver(ctx, target, cb)
	if err != nil {
		return fmt.Errorf("platform sim: %s %s: %w", event, invitationID, err)
	}
	if status < 200 || status > 299 {
		return fmt.Errorf("platform sim: %s %s: callback answered %d", event, invitationID, status)
	}
	return nil
}

// transition updates the status and builds the callback, under the lock.
func (s *Server) transition(invitationID, event string, r *assessment.Result) (assessment.Callback, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.byID[invitationID]
	if !ok {
		return assessment.Callback{}, "", notAdvanceable("no such invitation")
	}
	switch {
	case inv.Status == assessment.StatusCancelled:
		return assessment.Callback{}, "", notAdvanceable("invitation is cancelled")
	case event == assessment.EventStarted && inv.Status == assessment.StatusSubmitted:
		return assessment.Callback{}, "", notAdvanceable("invitation is already submitted")
	}
	target := s.callbackURL(inv)
	if target == "" {
		return assessment.Callback{}, "", notAdvanceable("no callback url configured")
	}
	inv.Status = event // the event names equal the statuses they lead to
	cb := assessment.Callback{
		ID:           newID("evt_"),
		Event:        event,
		InvitationID: inv.ID,
		Reference:    inv.Reference,
		OccurredAt:   time.Now().UTC().Truncate(time.Second),
		Result:       s.withReportFile(inv, r),
	}
	return cb, target, nil
}

func (s *Server) callbackURL(inv *Invitation) string {
	if inv.CallbackURL != "" {
		return inv.CallbackURL
	}
	return s.opts.CallbackURL
}

// SendCallback signs and sends cb as is, without touching any status: for tests of
// duplicates, out-of-order delivery and invalid payloads. It goes to the callback
// URL of cb.InvitationID when known, else to Options.CallbackURL. err is non-nil
// only when no answer came back.
func (s *Server) SendCallback(ctx context.Context, cb assessment.Callback) (status int, err error) {
	s.mu.Lock()
	target := s.opts.CallbackURL
	if inv, ok := s.byID[cb.InvitationID]; ok {
		target = s.callbackURL(inv)
	}
	s.mu.Unlock()
	if target == "" {
		return 0, errors.New("platform sim: send callback: no callback url configured")
	}
	status, err = s.deliver(ctx, target, cb)
	if err != nil {
		return 0, fmt.Errorf("platform sim: send callback: %w", err)
	}
	return status, nil
}

// SendRaw signs and sends body verbatim to Options.CallbackURL (for malformed JSON).
func (s *Server) SendRaw(ctx context.Context, body []byte) (status int, err error) {
	if s.opts.CallbackURL == "" {
		return 0, errors.New("platform sim: send raw callback: no callback url configured")
	}
	status, err = s.post(ctx, s.opts.CallbackURL, body)
	if err != nil {
		return 0, fmt.Errorf("platform sim: send raw callback: %w", err)
	}
	return status, nil
}

func (s *Server) deliver(ctx context.Context, target string, cb assessment.Callback) (int, error) {
	body, err := json.Marshal(cb)
	if err != nil {
		return 0, fmt.Errorf("encode callback: %w", err)
	}
	return s.post(ctx, target, body)
}

// post signs body at the moment of sending, as the contract asks of every attempt.
func (s *Server) post(ctx context.Context, target string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build callback request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "assessbridge-platform-sim")
	req.Header.Set(assessment.SignatureHeader, assessment.Sign(s.opts.CallbackSecret, body, time.Now()))
	resp, err := s.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("deliver callback: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	return resp.StatusCode, nil
}
