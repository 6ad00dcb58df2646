package lever

import (
	"net/http"
	"net/url"
	"slices"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

// WebhookInfo describes one of an account's webhooks.
type WebhookInfo struct {
	ID, URL, Event string
	SignatureToken string
	ByAPI          bool // created through POST /webhooks rather than by hand
}

// Webhooks returns the account's webhooks in creation order (nil for an unknown account).
func (s *Server) Webhooks(accountID string) []WebhookInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return nil
	}
	out := make([]WebhookInfo, 0, len(a.webhooks))
	for _, h := range a.webhooks {
		out = append(out, WebhookInfo{ID: h.id, URL: h.url, Event: h.event, SignatureToken: h.signatureToken, ByAPI: h.byAPI})
	}
	return out
}

// json renders a webhook as GET /webhooks lists it.
func (h webhook) json() map[string]any {
	conditions := h.conditions
	if conditions == nil {
		conditions = map[string]any{}
	}
	return map[string]any{
		"id": h.id, "url": h.url, "event": h.event, "createdAt": h.createdAt,
		"configuration": map[string]any{"signatureToken": h.signatureToken, "conditions": conditions},
	}
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	s.listed(w, r, func() ([]any, answer) {
		items := make([]any, 0, len(a.webhooks))
		for _, h := range a.webhooks {
			items = append(items, h.json())
		}
		return items, answer{}
	})
}

// createWebhook: body url, event, configuration{conditions}; Lever picks the signature
// token. Answers 201 {"data": webhook} ({"data":{"data": …}} with WrapWebhookCreate).
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, a *account, _ []string) {
	var body struct {
		URL           string `json:"url"`
		Event         string `json:"event"`
		Configuration struct {
			Conditions map[string]any `json:"conditions"`
		} `json:"configuration"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !knownEvent(body.Event) {
		writeError(w, http.StatusBadRequest, "event is not a Lever webhook event")
		return
	}
	if !webhookURLOK(body.URL) {
		writeError(w, http.StatusBadRequest, "url must be an absolute https URL")
		return
	}
	h := webhook{
		id: newID(), event: body.Event, url: body.URL, signatureToken: newWebhookToken(),
		conditions: body.Configuration.Conditions, createdAt: nowMillis(), byAPI: true,
	}
	s.locked(func() answer {
		a.webhooks = append(a.webhooks, h)
		if s.opts.WrapWebhookCreate {
			return data(http.StatusCreated, map[string]any{"data": h.json()})
		}
		return data(http.StatusCreated, h.json())
	}).write(w)
}

// deleteWebhook: 204; only webhooks created through the API may be deleted by it.
func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	s.locked(func() answer {
		i := slices.IndexFunc(a.webhooks, func(h webhook) bool { return h.id == p[0] })
		switch {
		case i < 0:
			return fail(http.StatusNotFound, "webhook not found")
		case !a.webhooks[i].byAPI:
			return answer{http.StatusForbidden, map[string]string{
				"code": "Forbidden", "message": "only webhooks created through the API can be changed through the API",
			}}
		}
		a.webhooks = slices.Delete(a.webhooks, i, i+1)
		return answer{status: http.StatusNoContent}
	}).write(w)
}

// knownEvent reports whether Lever offers webhooks for event.
func knownEvent(event string) bool {
	switch event {
	case leverapi.EventStageChange, leverapi.EventArchiveChange, leverapi.EventHired, leverapi.EventDeleted,
		leverapi.EventApplicationCreated, "interviewCreated", "interviewUpdated", "interviewDeleted",
		"contactCreated", "contactUpdated":
		return true
	}
	return false
}

// webhookURLOK accepts https URLs, and plain http to this machine so tests and local
// runs can receive deliveries (Lever itself takes https only).
func webhookURLOK(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
			return true
		}
	}
	return false
}
