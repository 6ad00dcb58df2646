package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// ourEvents are the Lever events every journey needs, in the order the page lists them.
var ourEvents = []string{lever.EventStageChange, lever.EventArchiveChange, lever.EventHired, lever.EventDeleted}

// managedEvents are all the events whose webhooks to us the page manages: ourEvents, and
// applicationCreated for accounts that invite on application.
var managedEvents = append(slices.Clone(ourEvents), lever.EventApplicationCreated)

// wantedEvents are the events a's webhooks must cover: none while nothing starts a journey
// (no trigger stage, no invitation on application).
func wantedEvents(a store.Account) []string {
	if len(a.TriggerStages) == 0 && !a.InviteOnApplication {
		return nil
	}
	if a.InviteOnApplication {
		return managedEvents
	}
	return ourEvents
}

// webhookAPI is the part of the Lever client that manages webhooks.
type webhookAPI interface {
	ListWebhooks(ctx context.Context) ([]lever.WebhookConfig, error)
	CreateWebhook(ctx context.Context, event, url string) (*lever.WebhookConfig, error)
	DeleteWebhook(ctx context.Context, id string) error
}

func (h *handler) webhookURL(accountID string) string { return h.webhookBase + accountID }

// isOurs: a webhook for one of the managed events that points at some assessbridge's endpoint for this
// account. The path decides, not the host, so a webhook left behind by an earlier public URL
// is recognised (and replaced) too.
func isOurs(hook lever.WebhookConfig, accountID string) bool {
	if !slices.Contains(managedEvents, hook.Event) {
		return false
	}
	u, err := url.Parse(hook.URL)
	return err == nil && strings.HasSuffix(u.Path, "/webhooks/lever/"+accountID)
}

// syncResult is what syncWebhooks did. Tokens changes are returned as a delta so the caller
// can apply them to the account as it is when saving.
type syncResult struct {
	Created, Deleted int
	Added, Dropped   []string // signature tokens to add to / remove from WebhookTokens
	// Manual: Lever refused (403) to let the API manage webhooks; an admin must add them by hand.
	// Refused is that 403, which names the scope the call needed.
	Manual  bool
	Refused error
	// ByHand lists events whose webhook was made in Lever's settings: only Lever's UI can
	// change or remove it.
	ByHand []string
}

// applyTokens returns tokens with the result's delta applied, without duplicates.
func (res syncResult) applyTokens(tokens []string) []string {
	var out []string
	for _, t := range append(slices.Clone(tokens), res.Added...) {
		if t != "" && !slices.Contains(res.Dropped, t) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// syncWebhooks makes Lever's webhooks match what the account needs: exactly one webhook per
// event of want pointing at target (created when missing, duplicates and ones with a stale URL
// deleted, new ones created before stale ones are deleted so no event is missed), and none of
// ours for the other managed events. Lever has no stage filter, so trigger stages never change a
// webhook. On an error the result still says what was done, so its tokens can be saved.
func syncWebhooks(ctx context.Context, api webhookAPI, accountID, target string, want []string) (syncResult, error) {
	var res syncResult
	hooks, err := api.ListWebhooks(ctx)
	if isForbidden(err) {
		res.Manual, res.Refused = true, err
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("list webhooks: %w", err)
	}
	var remove []lever.WebhookConfig
	for _, event := range managedEvents {
		wanted := slices.Contains(want, event)
		var good, stale []lever.WebhookConfig
		for _, hk := range hooks {
			switch {
			case hk.Event != event || !isOurs(hk, accountID):
			case hk.URL == target && wanted:
				good = append(good, hk)
			default:
				stale = append(stale, hk)
			}
		}
		if wanted && len(good) == 0 && !res.Manual {
			created, err := api.CreateWebhook(ctx, event, target)
			switch {
			case isForbidden(err):
				res.Manual, res.Refused = true, err
			case err != nil:
				return res, fmt.Errorf("create %s webhook: %w", event, err)
			default:
				res.Created++
				good = append(good, *created)
			}
		}
		if len(good) > 0 {
			res.Added = append(res.Added, good[0].SignatureToken) // heals a token the store lost
			stale = append(stale, good[1:]...)                    // one delivery per event is enough
		}
		remove = append(remove, stale...)
	}
	for _, hk := range remove {
		err := api.DeleteWebhook(ctx, hk.ID)
		switch {
		case isForbidden(err):
			res.ByHand = append(res.ByHand, hk.Event)
			res.Added = append(res.Added, hk.SignatureToken) // it still delivers
		case err == nil || errors.Is(err, lever.ErrNotFound):
			res.Deleted++
			res.Dropped = append(res.Dropped, hk.SignatureToken)
		default:
			return res, fmt.Errorf("delete %s webhook: %w", hk.Event, err)
		}
	}
	return res, nil
}

// isForbidden: Lever answered 403, e.g. the API may not manage webhooks for this account, or
// the webhook was made in Lever's settings.
func isForbidden(err error) bool {
	apiErr, ok := errors.AsType[*lever.APIError](err)
	return ok && apiErr.StatusCode == http.StatusForbidden
}

// eventRows says for each event whether a webhook points at this deployment.
func (h *handler) eventRows(accountID string, events []string, hooks []lever.WebhookConfig) []eventRow {
	target := h.webhookURL(accountID)
	rows := make([]eventRow, 0, len(events))
	for _, event := range events {
		registered := slices.ContainsFunc(hooks, func(hk lever.WebhookConfig) bool {
			return hk.Event == event && hk.URL == target
		})
		rows = append(rows, eventRow{Event: event, Label: eventLabels[event], Registered: registered})
	}
	return rows
}
