package admin

import (
	"net/url"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/store"
)

func TestInvitationSettings(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	_, page := c.get("/accounts/" + acct)
	wantContains(t, page, `name="remind_days" value="3"`)
	wantContains(t, page, `name="expire_days" value="7"`)

	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"reminder after expiry", url.Values{"remind_days": {"8"}, "expire_days": {"7"}, "reinvite_days": {"30"}, "policy": {"never"}}, "the reminder must come before the expiry"},
		{"not a number", url.Values{"remind_days": {"soon"}, "expire_days": {"7"}, "reinvite_days": {"30"}, "policy": {"never"}}, "remind days must be a number"},
		{"unknown policy", url.Values{"remind_days": {"1"}, "expire_days": {"7"}, "reinvite_days": {"30"}, "policy": {"sometimes"}}, "choose a re-invite policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, page := c.submit("/accounts/"+acct+"/invitations", tt.form)
			wantContains(t, page, tt.want)
		})
	}
	if a := e.account(acct); a.RemindAfter != 0 || a.ReinvitePolicy != store.ReinviteNever {
		t.Errorf("after rejected forms: got remind %s policy %q, want nothing saved", a.RemindAfter, a.ReinvitePolicy)
	}
	_, page = c.submit("/accounts/"+acct+"/invitations", url.Values{"remind_days": {"0.5"}, "expire_days": {"2"}, "reinvite_days": {"14"}, "policy": {"after"}})
	wantContains(t, page, "Invitation settings saved")
	a := e.account(acct)
	if a.RemindAfter != 12*time.Hour || a.ExpireAfter != 48*time.Hour || a.ReinvitePolicy != store.ReinviteAfterN || a.ReinviteAfter != 14*24*time.Hour {
		t.Errorf("saved: got remind %s, expire %s, policy %q after %s", a.RemindAfter, a.ExpireAfter, a.ReinvitePolicy, a.ReinviteAfter)
	}
}

func TestCandidateActions(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	c.get("/accounts/" + acct) // the page the buttons are on (its CSRF token)
	_, page := c.submit("/accounts/"+acct+"/candidates/opp-none/reinvite", url.Values{})
	wantContains(t, page, "journey is not running")
	_, page = c.submit("/accounts/"+acct+"/candidates/opp-none/purge", url.Values{})
	wantContains(t, page, "Purge started")
	res, _ := c.post("/accounts/"+acct+"/candidates/bad%20id/reinvite", url.Values{})
	wantStatus(t, res, 400)
	_, page = c.get("/accounts/" + acct + "/candidates/opp-none")
	wantContains(t, page, "No journey found")
}
