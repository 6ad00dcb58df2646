package admin

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

func withScopes(scopes []string) envOption {
	return func(c *Config) { c.OAuth.Scopes = scopes }
}

func allScopesBut(drop ...string) []string {
	return slices.DeleteFunc(leverauth.Scopes(), func(s string) bool { return slices.Contains(drop, s) })
}

// TestAccountPageLeverAuth: the account page's own Lever calls, on an account connected
// through OAuth, tell a revocation (the account is marked disconnected) from a missing scope
// (named on the page, the account stays connected) and from an access token Lever dropped
// early (refreshed once, nothing to tell).
func TestAccountPageLeverAuth(t *testing.T) {
	tests := []struct {
		name          string
		scopes        []string // granted at connect; nil: leverauth.Scopes()
		lever         func(ls *leversim.Server)
		wantStatus    string
		wantMissing   []string
		wantPage      []string
		wantNot       []string
		wantRefreshes int
	}{
		{name: "grant revoked", lever: func(ls *leversim.Server) { ls.RevokeAuthorizations(acct) },
			wantStatus: store.StatusDisconnected,
			wantPage:   []string{`id="status">disconnected<`, "The account is now marked disconnected.", "Connect Lever</button>"},
			wantNot:    []string{`id="stage-` + stageB + `"`}},
		{name: "access token dropped early", lever: func(ls *leversim.Server) { ls.ExpireAccessTokens(acct) },
			wantStatus: store.StatusConnected, wantRefreshes: 1,
			wantPage: []string{`id="status">connected<`, `id="stage-` + stageB + `"`},
			wantNot:  []string{"Lever did not grant", "no longer accepts"}},
		{name: "archive reasons not granted", scopes: allScopesBut(lever.ScopeArchiveReasonsRead),
			wantStatus: store.StatusConnected, wantMissing: []string{lever.ScopeArchiveReasonsRead},
			wantPage: []string{`id="status">connected<`, `id="stage-` + stageB + `"`,
				"Lever did not grant <code>archive_reasons:read:admin</code>: reconnect to grant it."}},
		{name: "webhooks not granted", scopes: allScopesBut(lever.ScopeWebhooksRead, lever.ScopeWebhooksWrite),
			wantStatus: store.StatusConnected, wantMissing: []string{lever.ScopeWebhooksRead},
			wantPage: []string{`id="status">connected<`, `<details open id="manual-webhooks">`,
				"Lever did not grant <code>webhooks:read:admin</code>: reconnect to grant it."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []envOption
			if tt.scopes != nil {
				opts = append(opts, withScopes(tt.scopes))
			}
			e := newEnv(t, opts...)
			e.addAccount(acct, false)
			c := e.loggedIn()
			res, _ := c.consent(e, acct, "allow")
			c.follow(res)
			if tt.lever != nil {
				tt.lever(e.lever)
			}

			_, page := c.get("/accounts/" + acct)
			for _, want := range tt.wantPage {
				wantContains(t, page, want)
			}
			for _, not := range tt.wantNot {
				if strings.Contains(page, not) {
					t.Errorf("page contains %q, want it not to", not)
				}
			}
			if got := e.account(acct).Status; got != tt.wantStatus {
				t.Errorf("account status: got %q, want %q", got, tt.wantStatus)
			}
			missing, err := e.store.MissingScopes(context.Background(), acct)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(missing, tt.wantMissing) && len(missing)+len(tt.wantMissing) > 0 {
				t.Errorf("missing scopes recorded: got %q, want %q", missing, tt.wantMissing)
			}
			if _, n := e.lever.OAuthStats(acct); n != tt.wantRefreshes {
				t.Errorf("refreshes at Lever: got %d, want %d", n, tt.wantRefreshes)
			}
		})
	}
}

// TestActionMissingScopeAndReconnect: an action meeting a 403 names the scope and leaves the
// account connected; connecting again with the scope clears the message.
func TestActionMissingScopeAndReconnect(t *testing.T) {
	e := newEnv(t, withScopes(allScopesBut(lever.ScopeUsersRead)))
	e.addAccount(acct, false)
	c := e.loggedIn()
	res, _ := c.consent(e, acct, "allow")
	c.follow(res)

	_, page := c.submit("/accounts/"+acct+"/perform-as", url.Values{"email": {"riley@acme.example"}})
	wantContains(t, page, "Lever did not grant users:read:admin while looking up the user: reconnect to grant it.")
	wantContains(t, page, `id="missing-scope-users:read:admin"`)
	if a := e.account(acct); a.Status != store.StatusConnected || a.PerformAs != "" {
		t.Errorf("account: got status %q, perform_as %q, want connected without a user", a.Status, a.PerformAs)
	}

	e.handler.cfg.OAuth.Scopes = nil // the deployment now asks for every scope
	res, _ = c.consent(e, acct, "allow")
	_, page = c.follow(res)
	if strings.Contains(page, "Lever did not grant") {
		t.Errorf("page after reconnecting: got a missing scope message, want none")
	}
	_, page = c.submit("/accounts/"+acct+"/perform-as", url.Values{"email": {"riley@acme.example"}})
	if a := e.account(acct); a.PerformAs != "user-riley" {
		t.Errorf("perform_as after reconnecting: got %q, want user-riley; page:\n%s", a.PerformAs, page)
	}
}
