package admin

import (
	"context"
	"slices"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestSyncWebhooks(t *testing.T) {
	const handToken = "hand-made-signature-token-0123"
	tests := []struct {
		name string
		want []string
		// seed adds webhooks to the simulator, by API (lc) or by hand (e.lever.AddWebhook).
		seed        func(e *env, lc *lever.Client, target string)
		wantCreated int
		wantDeleted int
		wantByHand  []string
		wantHooks   int // webhooks left in Lever for the account
	}{
		{
			name: "none yet", want: ourEvents, seed: func(*env, *lever.Client, string) {},
			wantCreated: 4, wantHooks: 4,
		},
		{
			name: "duplicate of ours", want: ourEvents,
			seed: func(e *env, lc *lever.Client, target string) {
				mustCreate(e.t, lc, lever.EventStageChange, target)
				mustCreate(e.t, lc, lever.EventStageChange, target)
			},
			wantCreated: 3, wantDeleted: 1, wantHooks: 4,
		},
		{
			name: "made by hand at our URL", want: ourEvents,
			seed: func(e *env, _ *lever.Client, target string) {
				e.lever.AddWebhook(acct, lever.EventStageChange, target, handToken)
			},
			wantCreated: 3, wantHooks: 4,
		},
		{
			name: "made by hand at a stale URL", want: ourEvents,
			seed: func(e *env, _ *lever.Client, _ string) {
				e.lever.AddWebhook(acct, lever.EventHired, "https://old.example/webhooks/lever/"+acct, handToken)
			},
			wantCreated: 4, wantByHand: []string{lever.EventHired}, wantHooks: 5,
		},
		{
			name: "not ours: other account, other event, other path", want: ourEvents,
			seed: func(e *env, lc *lever.Client, target string) {
				mustCreate(e.t, lc, lever.EventStageChange, "http://127.0.0.1:9/webhooks/lever/other")
				mustCreate(e.t, lc, "interviewCreated", target)
				mustCreate(e.t, lc, lever.EventHired, "http://127.0.0.1:9/hooks")
			},
			wantCreated: 4, wantHooks: 7,
		},
		{
			name: "invite on application", want: managedEvents,
			seed: func(e *env, lc *lever.Client, target string) {
				mustCreate(e.t, lc, lever.EventStageChange, target)
			},
			wantCreated: 4, wantHooks: 5,
		},
		{
			name: "application webhook no longer wanted", want: ourEvents,
			seed: func(e *env, lc *lever.Client, target string) {
				for _, ev := range managedEvents {
					mustCreate(e.t, lc, ev, target)
				}
			},
			wantDeleted: 1, wantHooks: 4,
		},
		{
			name: "remove ours", want: nil,
			seed: func(e *env, lc *lever.Client, target string) {
				for _, ev := range ourEvents {
					mustCreate(e.t, lc, ev, target)
				}
				mustCreate(e.t, lc, lever.EventDeleted, "http://127.0.0.1:9/webhooks/lever/"+acct)
				mustCreate(e.t, lc, lever.EventApplicationCreated, target)
				mustCreate(e.t, lc, "interviewCreated", target)
			},
			wantDeleted: 6, wantHooks: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			lc := e.leverClient()
			target := e.handler.webhookURL(acct)
			tt.seed(e, lc, target)
			before := e.lever.Webhooks(acct)

			res, err := syncWebhooks(context.Background(), lc, acct, target, tt.want)
			if err != nil {
				t.Fatalf("syncWebhooks: got error %v, want nil", err)
			}
			if res.Created != tt.wantCreated || res.Deleted != tt.wantDeleted || !slices.Equal(res.ByHand, tt.wantByHand) {
				t.Errorf("got created %d, deleted %d, by hand %q; want %d, %d, %q",
					res.Created, res.Deleted, res.ByHand, tt.wantCreated, tt.wantDeleted, tt.wantByHand)
			}
			after := e.lever.Webhooks(acct)
			if len(after) != tt.wantHooks {
				t.Errorf("got %d webhooks in Lever, want %d", len(after), tt.wantHooks)
			}
			// Tokens: every surviving webhook of ours is known, every deleted one forgotten.
			tokens := res.applyTokens(nil)
			for _, h := range after {
				ours := isOurs(lever.WebhookConfig{URL: h.URL, Event: h.Event}, acct)
				if ours && !slices.Contains(tokens, h.SignatureToken) {
					t.Errorf("webhook %s %s: token missing from the account", h.Event, h.URL)
				}
			}
			for _, h := range before {
				gone := !slices.ContainsFunc(after, func(a leversim.WebhookInfo) bool { return a.ID == h.ID })
				if gone && slices.Contains(tokens, h.SignatureToken) {
					t.Errorf("deleted webhook %s %s: token still kept", h.Event, h.URL)
				}
			}
			for _, ev := range managedEvents {
				want := 0
				if slices.Contains(tt.want, ev) {
					want = 1
				}
				n := 0
				for _, h := range after {
					if h.Event == ev && h.URL == target {
						n++
					}
				}
				if n != want {
					t.Errorf("event %s: got %d webhooks to %s, want %d", ev, n, target, want)
				}
			}
		})
	}
}

func mustCreate(t *testing.T, lc *lever.Client, event, url string) {
	t.Helper()
	if _, err := lc.CreateWebhook(context.Background(), event, url); err != nil {
		t.Fatalf("seed webhook %s: %v", event, err)
	}
}

func TestApplyTokens(t *testing.T) {
	res := syncResult{Added: []string{"new", "kept", ""}, Dropped: []string{"old"}}
	if got, want := res.applyTokens([]string{"kept", "old", "other"}), []string{"kept", "other", "new"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
