package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// ourHooks returns the simulator's webhooks that point at this env's endpoint, by event.
func (e *env) ourHooks() map[string][]leversim.WebhookInfo {
	out := map[string][]leversim.WebhookInfo{}
	for _, h := range e.lever.Webhooks(acct) {
		if strings.HasSuffix(h.URL, "/webhooks/lever/"+acct) {
			out[h.Event] = append(out[h.Event], h)
		}
	}
	return out
}

func (e *env) leverClient() *lever.Client {
	e.t.Helper()
	lc, err := lever.New(e.leverURL, lever.WithAPIKey(leverToken))
	if err != nil {
		e.t.Fatal(err)
	}
	return lc
}

func TestSaveStagesRegistersWebhooks(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	// Left over from an earlier public URL: ours, but stale, so it is replaced.
	stale, err := e.leverClient().CreateWebhook(context.Background(), lever.EventHired, "http://127.0.0.1:9/webhooks/lever/"+acct)
	if err != nil {
		t.Fatalf("seed stale webhook: %v", err)
	}
	ctx := context.Background()
	a := e.account(acct)
	a.WebhookTokens = []string{stale.SignatureToken, "token-of-a-hand-made-webhook"}
	if err := e.store.PutAccount(ctx, a); err != nil {
		t.Fatal(err)
	}

	c := e.loggedIn()
	c.get("/accounts/" + acct)
	_, page := c.submit("/accounts/"+acct+"/stages", url.Values{"stage": {stageB, "no-such-stage"}})
	wantContains(t, page, "Saved 1 trigger stage(s).")
	wantContains(t, page, "(4 created, 1 removed)")
	wantContains(t, page, "A Lever Super Admin must switch on the event groups")
	wantContains(t, page, `id="stage-`+stageB+`" checked`)

	target := e.url + "/webhooks/lever/" + acct
	hooks := e.ourHooks()
	a = e.account(acct)
	for _, event := range []string{lever.EventStageChange, lever.EventArchiveChange, lever.EventHired, lever.EventDeleted} {
		if len(hooks[event]) != 1 || hooks[event][0].URL != target || !hooks[event][0].ByAPI {
			t.Errorf("event %s: got webhooks %+v, want one API webhook to %s", event, hooks[event], target)
			continue
		}
		if !slices.Contains(a.WebhookTokens, hooks[event][0].SignatureToken) {
			t.Errorf("event %s: signature token not in the account's webhook tokens", event)
		}
	}
	if slices.Contains(a.WebhookTokens, stale.SignatureToken) {
		t.Errorf("got the deleted stale webhook's token kept, want it dropped")
	}
	if !slices.Contains(a.WebhookTokens, "token-of-a-hand-made-webhook") {
		t.Errorf("got the other token dropped, want it kept")
	}
	if got, want := a.TriggerStages, []string{stageB}; !slices.Equal(got, want) {
		t.Errorf("got trigger stages %q, want %q", got, want)
	}
	for _, ev := range []string{"registered"} {
		if strings.Count(page, ">"+ev+"<") != 4 {
			t.Errorf("got %d events shown %s, want 4", strings.Count(page, ">"+ev+"<"), ev)
		}
	}

	// Saving again changes nothing in Lever.
	_, page = c.submit("/accounts/"+acct+"/stages", url.Values{"stage": {stageA, stageB}})
	wantContains(t, page, "(0 created, 0 removed)")
	if got := len(e.lever.Webhooks(acct)); got != 4 {
		t.Errorf("after saving again: got %d webhooks, want 4", got)
	}
	if got, want := e.account(acct).TriggerStages, []string{stageA, stageB}; !slices.Equal(got, want) {
		t.Errorf("got trigger stages %q, want %q", got, want)
	}

	// Clearing every stage removes our webhooks and their tokens.
	_, page = c.submit("/accounts/"+acct+"/stages", url.Values{})
	wantContains(t, page, "No trigger stages: removed 4 assessbridge webhook(s) from Lever.")
	if got := len(e.lever.Webhooks(acct)); got != 0 {
		t.Errorf("after clearing: got %d webhooks, want 0", got)
	}
	a = e.account(acct)
	if len(a.TriggerStages) != 0 || !slices.Equal(a.WebhookTokens, []string{"token-of-a-hand-made-webhook"}) {
		t.Errorf("after clearing: got stages %q and %d tokens, want none and only the hand-made one", a.TriggerStages, len(a.WebhookTokens))
	}
}

func TestSaveStagesWebhooksForbidden(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	e.lever.InjectFault(leversim.Fault{Method: "POST", PathContains: "/webhooks", Status: http.StatusForbidden})
	c := e.loggedIn()
	c.get("/accounts/" + acct)
	res, _ := c.post("/accounts/"+acct+"/stages", url.Values{"stage": {stageB}})
	if got, want := res.Header.Get("Location"), accountPath(acct)+"?webhooks=manual#webhooks"; got != want {
		t.Fatalf("got Location %q, want %q", got, want)
	}
	_, page := c.follow(res)
	wantContains(t, page, "Lever does not let assessbridge manage webhooks for this account (403).")
	wantContains(t, page, `<details open id="manual-webhooks">`)
	wantContains(t, page, `<code id="webhook-url">`+e.url+`/webhooks/lever/`+acct+`</code>`)
	if got := e.account(acct).TriggerStages; !slices.Equal(got, []string{stageB}) {
		t.Errorf("got trigger stages %q, want [%s]", got, stageB)
	}

	// The admin pastes the token Lever shows for a webhook made by hand.
	token := "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL"
	_, page = c.submit("/accounts/"+acct+"/webhook-token", url.Values{"token": {token}})
	wantContains(t, page, "Signature token saved; the account now verifies webhooks with 1 token(s).")
	_, page = c.submit("/accounts/"+acct+"/webhook-token", url.Values{"token": {"short"}})
	wantContains(t, page, "That does not look like a Lever signature token")
	if got := e.account(acct).WebhookTokens; !slices.Equal(got, []string{token}) {
		t.Errorf("got webhook tokens %d, want just the pasted one", len(got))
	}
}

func TestSaveStagesNeedsConnection(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, false)
	c := e.loggedIn()
	_, page := c.get("/accounts/" + acct)
	wantContains(t, page, "Connect the account to choose its trigger stages.")
	_, page = c.submit("/accounts/"+acct+"/stages", url.Values{"stage": {stageB}})
	wantContains(t, page, "Connect the account to Lever before choosing trigger stages.")
	if got := e.account(acct).TriggerStages; len(got) != 0 {
		t.Errorf("got trigger stages %q, want none", got)
	}
}
