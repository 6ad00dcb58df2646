package admin

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// consent starts Connect on the account page and answers the simulator's consent page with
// decision ("allow" or "deny"), as a browser would; it returns the answer to our callback.
func (c *visitor) consent(e *env, accountID, decision string) (*http.Response, string) {
	c.t.Helper()
	c.get("/accounts/" + accountID)
	res, _ := c.post("/accounts/"+accountID+"/connect", nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), e.leverURL+"/authorize?") {
		c.t.Fatalf("connect: got %d to %q, want 303 to the simulator's /authorize", res.StatusCode, res.Header.Get("Location"))
	}
	res, page := c.follow(res)
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("consent page: got status %d, want 200:\n%s", res.StatusCode, page)
	}
	form := url.Values{"account": {accountID}, "decision": {decision}}
	for _, m := range hiddenField.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	res, _ = c.post(e.leverURL+"/authorize/decision", form)
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), e.url+CallbackPath+"?") {
		c.t.Fatalf("consent decision: got %d to %q, want 302 to our callback", res.StatusCode, res.Header.Get("Location"))
	}
	loc, _ := url.Parse(res.Header.Get("Location"))
	return c.get(loc.String())
}

func TestOAuthConnect(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, false)
	c := e.loggedIn()

	res, _ := c.consent(e, acct, "allow")
	if got, want := res.Header.Get("Location"), accountPath(acct); res.StatusCode != http.StatusSeeOther || got != want {
		t.Fatalf("callback: got %d to %q, want 303 to %q", res.StatusCode, got, want)
	}
	_, page := c.follow(res)
	wantContains(t, page, "Connected to Lever.")
	wantContains(t, page, `id="status">connected<`)

	a := e.account(acct)
	if a.Status != store.StatusConnected || a.AccessToken == "" || a.RefreshToken == "" || a.TokenExpiry.IsZero() {
		t.Errorf("got status %q, access %v, refresh %v, expiry %v; want connected with tokens",
			a.Status, a.AccessToken != "", a.RefreshToken != "", a.TokenExpiry)
	}
	if codes, _ := e.lever.OAuthStats(acct); codes != 1 {
		t.Errorf("got %d codes exchanged, want 1", codes)
	}
	if connected, _ := e.hookCalls(); !slices.Equal(connected, []string{acct}) {
		t.Errorf("got OnConnected calls %q, want [%s]", connected, acct)
	}
	// The stored tokens work: the page lists the account's stages from Lever.
	wantContains(t, page, `id="stage-`+stageB+`"`)
}

func TestOAuthDenied(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, false)
	c := e.loggedIn()
	res, _ := c.consent(e, acct, "deny")
	_, page := c.follow(res)
	wantContains(t, page, "Lever authorization was denied; the account was not connected.")
	if a := e.account(acct); a.Status != store.StatusDisconnected || a.AccessToken != "" {
		t.Errorf("got status %q with token %v, want disconnected without", a.Status, a.AccessToken != "")
	}
	if connected, _ := e.hookCalls(); len(connected) != 0 {
		t.Errorf("got OnConnected calls %q, want none", connected)
	}
}

func TestOAuthCallbackStateMismatch(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, false)
	tests := []struct {
		name    string
		connect bool   // start a connect first (sets the state cookie)
		query   string // callback query; "STATE" is replaced with the real state
	}{
		{"no connect started", false, "code=abc&state=whatever"},
		{"wrong state", true, "code=abc&state=forged"},
		{"missing state", true, "code=abc"},
		{"denial with wrong state", true, "error=access_denied&state=forged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.loggedIn()
			if tt.connect {
				c.get("/accounts/" + acct)
				res, _ := c.post("/accounts/"+acct+"/connect", nil)
				wantStatus(t, res, http.StatusSeeOther)
			}
			res, page := c.get(CallbackPath + "?" + tt.query)
			wantStatus(t, res, http.StatusBadRequest)
			wantContains(t, page, "does not match the one this browser started")
		})
	}
	// A state started by one session does not complete in another.
	c1, c2 := e.loggedIn(), e.loggedIn()
	c1.get("/accounts/" + acct)
	res, _ := c1.post("/accounts/"+acct+"/connect", nil)
	loc, _ := url.Parse(res.Header.Get("Location"))
	state := loc.Query().Get("state")
	res, _ = c2.get(CallbackPath + "?code=abc&state=" + url.QueryEscape(state))
	wantStatus(t, res, http.StatusBadRequest)
	if codes, _ := e.lever.OAuthStats(acct); codes != 0 {
		t.Errorf("got %d codes exchanged, want 0", codes)
	}
}

func TestConnectWithAPIKey(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, false)
	c := e.loggedIn()
	c.get("/accounts/" + acct)

	_, page := c.submit("/accounts/"+acct+"/apikey", url.Values{"api_key": {"not-a-key"}})
	wantContains(t, page, "Lever did not accept this API key (401); the account was not connected.")
	if a := e.account(acct); a.APIKey != "" || a.Status != store.StatusDisconnected {
		t.Errorf("after a bad key: got key stored %v, status %q; want none, disconnected", a.APIKey != "", a.Status)
	}

	_, page = c.submit("/accounts/"+acct+"/apikey", url.Values{"api_key": {leverToken}})
	wantContains(t, page, "Connected to Lever with the API key.")
	if a := e.account(acct); a.APIKey != leverToken || a.Status != store.StatusConnected {
		t.Errorf("got key stored %v, status %q; want the key, connected", a.APIKey == leverToken, a.Status)
	}
	wantContains(t, page, "Credentials: <strong>API key</strong>")
}

func TestDisconnect(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, false)
	c := e.loggedIn()
	res, _ := c.consent(e, acct, "allow")
	c.follow(res)
	c.submit("/accounts/"+acct+"/stages", url.Values{"stage": {stageB}})
	if n := len(e.lever.Webhooks(acct)); n != 4 {
		t.Fatalf("before disconnect: got %d webhooks, want 4", n)
	}
	// One made by hand in Lever's settings: the API cannot delete it, and its token must stay.
	e.lever.AddWebhook(acct, lever.EventStageChange, "https://elsewhere.example/hook", "hand-made-token-0123456789")

	_, page := c.submit("/accounts/"+acct+"/disconnect", nil)
	wantContains(t, page, "Disconnected from Lever; removed 4 webhook(s).")
	wantContains(t, page, `id="status">disconnected<`)
	a := e.account(acct)
	if a.Status != store.StatusDisconnected || a.AccessToken != "" || a.RefreshToken != "" || a.APIKey != "" {
		t.Errorf("got status %q, tokens %v/%v, key %v; want disconnected without credentials",
			a.Status, a.AccessToken != "", a.RefreshToken != "", a.APIKey != "")
	}
	if len(a.WebhookTokens) != 0 {
		t.Errorf("got %d webhook tokens, want 0 (all of ours were deleted)", len(a.WebhookTokens))
	}
	hooks := e.lever.Webhooks(acct)
	if len(hooks) != 1 || hooks[0].ByAPI {
		t.Errorf("got webhooks %+v, want only the hand-made one", hooks)
	}
	if a.TriggerStages == nil {
		t.Errorf("got no trigger stages, want them kept for a reconnect")
	}
	if _, disconnected := e.hookCalls(); !slices.Equal(disconnected, []string{acct}) {
		t.Errorf("got OnDisconnected calls %q, want [%s]", disconnected, acct)
	}

	// Reconnecting puts the webhooks back, since trigger stages are still chosen.
	res, _ = c.consent(e, acct, "allow")
	_, page = c.follow(res)
	wantContains(t, page, "Connected to Lever.")
	if n := countByAPI(e.lever.Webhooks(acct)); n != 4 {
		t.Errorf("after reconnect: got %d API webhooks, want 4", n)
	}
}

func TestDisconnectWhenLeverRevoked(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, false)
	c := e.loggedIn()
	res, _ := c.consent(e, acct, "allow")
	c.follow(res)
	e.lever.RevokeAuthorizations(acct)

	_, page := c.submit("/accounts/"+acct+"/disconnect", nil)
	wantContains(t, page, "Disconnected from Lever; removed 0 webhook(s).")
	wantContains(t, page, "Lever no longer accepts this account") // while removing our webhooks
	if a := e.account(acct); a.Status != store.StatusDisconnected || a.AccessToken != "" {
		t.Errorf("got status %q with token %v, want disconnected without", a.Status, a.AccessToken != "")
	}
}

func TestPerformAs(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	c.get("/accounts/" + acct)
	tests := []struct {
		email, want, wantID string
	}{
		{"nobody@acme.example", "No Lever user has that email address.", ""},
		{"not an email", "Enter the email address of a Lever user.", ""},
		{"RILEY@acme.example", "as Riley Recruiter (user user-riley)", "user-riley"},
	}
	for _, tt := range tests {
		_, page := c.submit("/accounts/"+acct+"/perform-as", url.Values{"email": {tt.email}})
		wantContains(t, page, tt.want)
		if got := e.account(acct).PerformAs; got != tt.wantID {
			t.Errorf("email %q: got perform_as %q, want %q", tt.email, got, tt.wantID)
		}
		if strings.Contains(page, tt.email) {
			t.Errorf("email %q is echoed on the page", tt.email)
		}
	}
}

func countByAPI(hooks []leversim.WebhookInfo) int {
	n := 0
	for _, h := range hooks {
		if h.ByAPI {
			n++
		}
	}
	return n
}
