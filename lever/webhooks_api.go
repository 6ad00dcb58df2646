package lever

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// WebhookConfig is one webhook registered in Lever.
type WebhookConfig struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Event string `json:"event"`
	// SignatureToken keys the HMAC of this webhook's deliveries (configuration.signatureToken).
	SignatureToken string `json:"signatureToken"`
	CreatedAt      int64  `json:"createdAt"` // ms since epoch
}

// webhookWire is a webhook as Lever sends it.
type webhookWire struct {
	ID            ref    `json:"id"`
	URL           string `json:"url"`
	Event         string `json:"event"`
	Configuration struct {
		SignatureToken string `json:"signatureToken"`
	} `json:"configuration"`
	CreatedAt millis `json:"createdAt"`
}

func (w webhookWire) config() WebhookConfig {
	return WebhookConfig{
		ID: string(w.ID), URL: w.URL, Event: w.Event,
		SignatureToken: w.Configuration.SignatureToken, CreatedAt: int64(w.CreatedAt),
	}
}

// ListWebhooks lists the account's webhooks (GET /webhooks), following every page. It
// includes webhooks made by hand in Lever's settings, which the API cannot delete.
func (c *Client) ListWebhooks(ctx context.Context) ([]WebhookConfig, error) {
	wires, err := listAll[webhookWire](ctx, c, "/webhooks", nil)
	if err != nil {
		return nil, err
	}
	out := make([]WebhookConfig, 0, len(wires))
	for _, w := range wires {
		out = append(out, w.config())
	}
	return out, nil
}

// CreateWebhook subscribes hookURL to event (POST /webhooks) and returns the webhook with
// the signature token Lever chose. The answer is read as {"data": …} or, as Lever's docs
// show it, {"data":{"data": …}}. Lever has no stage filter: filter on toStageId yourself.
//
// Not retried after 500/502/504 or a transport error (it could create a twin): the caller
// should look for its URL with ListWebhooks before trying again.
func (c *Client) CreateWebhook(ctx context.Context, event, hookURL string) (*WebhookConfig, error) {
	if event == "" || hookURL == "" {
		return nil, errors.New("lever: create webhook: event and url are required")
	}
	body := map[string]any{"url": hookURL, "event": event, "configuration": map[string]any{}}
	var raw json.RawMessage
	if err := c.do(ctx, call{method: "POST", path: "/webhooks", body: body}, &raw); err != nil {
		return nil, err
	}
	var w webhookWire
	if err := json.Unmarshal(unwrapData(raw), &w); err != nil {
		return nil, fmt.Errorf("lever: POST /webhooks: decode response: %w", err)
	}
	cfg := w.config()
	if cfg.ID == "" {
		return nil, errors.New("lever: POST /webhooks: answer has no webhook id")
	}
	if cfg.SignatureToken == "" {
		return nil, fmt.Errorf("lever: POST /webhooks: webhook %s came back without a signature token", cfg.ID)
	}
	return &cfg, nil
}

// DeleteWebhook deletes a webhook created through the API (DELETE /webhooks/:id).
// An unknown id gives ErrNotFound, also when a retried delete finds its own work done.
// Lever answers 403 for a webhook made by hand in its settings; like every 403 that
// error satisfies errors.Is(err, ErrMissingScope) although no scope is missing, so callers
// should only delete ids CreateWebhook returned.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("lever: delete webhook: empty id")
	}
	return c.do(ctx, call{method: "DELETE", path: "/webhooks/" + url.PathEscape(id), repeatable: true}, nil)
}
