package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
)

func TestAddAccount(t *testing.T) {
	e := newEnv(t)
	e.addAccount("taken", false)
	c := e.loggedIn()
	tests := []struct {
		name, id, accountName string
		wantStatus            int
		want                  string
	}{
		{"upper case id", "Acme", "Acme", http.StatusUnprocessableEntity, "The account id must be 1 to 40 characters"},
		{"id too long", strings.Repeat("a", 41), "Acme", http.StatusUnprocessableEntity, "The account id must be 1 to 40 characters"},
		{"quote in id", "a'b", "Acme", http.StatusUnprocessableEntity, "The account id must be 1 to 40 characters"},
		{"no name", "acme", "", http.StatusUnprocessableEntity, "Give the account a name"},
		{"taken id", "taken", "Other", http.StatusConflict, "An account with this id exists already."},
		{"good", "acme-2", "Acme <Two>", http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.get("/")
			res, page := c.post("/accounts", url.Values{"id": {tt.id}, "name": {tt.accountName}})
			wantStatus(t, res, tt.wantStatus)
			wantContains(t, page, tt.want)
			if tt.wantStatus == http.StatusUnprocessableEntity {
				wantContains(t, page, `value="`+strings.ReplaceAll(tt.id, "'", "&#39;")+`"`) // input kept
			}
		})
	}
	_, page := c.get("/")
	wantContains(t, page, `<a href="/admin/accounts/acme-2">acme-2</a>`)
	wantContains(t, page, "Acme &lt;Two&gt;")
	if a := e.account("acme-2"); a.Status != store.StatusDisconnected {
		t.Errorf("got status %q, want disconnected", a.Status)
	}
}

func TestUnknownAccount(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	for _, p := range []string{"/accounts/nobody", "/accounts/Bad%20Id", "/no-such-page"} {
		res, page := c.get(p)
		wantStatus(t, res, http.StatusNotFound)
		if strings.Contains(page, "goroutine") {
			t.Errorf("%s: got a stack trace", p)
		}
	}
}

func TestMappingAndCatalogue(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	_, page := c.get("/accounts/" + acct)
	wantContains(t, page, "0 assessment(s) in the catalogue.")

	_, page = c.submit("/accounts/"+acct+"/catalogue", nil)
	wantContains(t, page, "Catalogue refreshed: 2 assessment(s).")
	wantContains(t, page, `<option value="`+assessmentID+`">Go Basics</option>`)

	res, _ := c.post("/accounts/"+acct+"/mappings", url.Values{"posting": {postingID}, "assessment": {assessmentID}, "q": {"back"}})
	if got, want := res.Header.Get("Location"), accountPath(acct)+"?q=back#assessments"; got != want {
		t.Errorf("got Location %q, want %q", got, want)
	}
	_, page = c.follow(res)
	wantContains(t, page, "Posting mapped to Go Basics.")
	wantContains(t, page, `<option value="`+assessmentID+`" selected>Go Basics</option>`)
	wantContains(t, page, "Backend Engineer")
	if strings.Contains(page, "Data Analyst") {
		t.Errorf("search for %q still lists Data Analyst", "back")
	}
	got, err := e.store.AssessmentForPosting(context.Background(), acct, postingID)
	if err != nil || got != assessmentID {
		t.Errorf("got mapping %q (%v), want %q", got, err, assessmentID)
	}

	_, page = c.submit("/accounts/"+acct+"/mappings", url.Values{"posting": {postingID}, "assessment": {""}})
	wantContains(t, page, "Posting unmapped")
	if _, err := e.store.AssessmentForPosting(context.Background(), acct, postingID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after unmapping: got error %v, want ErrNotFound", err)
	}
}

func TestCatalogueRefreshPlatformDown(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	c.get("/accounts/" + acct)
	e.platform.InjectFault(platformsim.Fault{Method: "GET", PathContains: "/assessments", Status: http.StatusServiceUnavailable, Times: 1})
	_, page := c.submit("/accounts/"+acct+"/catalogue", nil)
	wantContains(t, page, "The assessment platform answered status 503 while listing its assessments")
}

func TestBands(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	_, page := c.get("/accounts/" + acct)
	wantContains(t, page, "These are the defaults; nothing is saved yet.")

	type row struct{ min, rating, label string }
	form := func(rows ...row) url.Values {
		v := url.Values{"action": {"save"}}
		for _, r := range rows {
			v.Add("min", r.min)
			v.Add("rating", r.rating)
			v.Add("label", r.label)
		}
		return v
	}
	tests := []struct {
		name string
		rows []row
		want string
	}{
		{"not starting at 0", []row{{"10", "1", "Low"}, {"60", "4", "High"}}, "lowest band starts at 10, want 0."},
		{"duplicate edge", []row{{"0", "1", "Low"}, {"50", "3", "Mid"}, {"50", "4", "High"}}, "two bands start at 50."},
		{"above 100", []row{{"0", "1", "Low"}, {"101", "4", "High"}}, "edge 101 outside 0–100."},
		{"not a number", []row{{"0", "1", "Low"}, {"half", "4", "High"}}, "row 2: the minimum must be a number from 0 to 100"},
		{"missing label", []row{{"0", "1", "Low"}, {"70", "4", ""}}, "band at 70 has no label."},
		{"rating out of range", []row{{"0", "5", "Low"}}, "rating 5 outside 1–4."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.get("/accounts/" + acct)
			res, page := c.post("/accounts/"+acct+"/bands", form(tt.rows...))
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, page, "Rating bands not saved: "+tt.want)
			wantContains(t, page, `id="bands-error"`)
			for _, r := range tt.rows { // the input is kept
				wantContains(t, page, `name="min" value="`+r.min+`"`)
			}
			if got, _ := e.store.RatingBands(context.Background(), acct); len(got) != 0 {
				t.Errorf("got %d bands stored, want 0", len(got))
			}
		})
	}

	c.get("/accounts/" + acct)
	v := form(row{"60", "4", "Strong Hire"}, row{"0", "1", "Strong No Hire"}, row{"40", "2", "No"}, row{"", "1", ""})
	v.Add("remove", "2")
	_, page = c.submit("/accounts/"+acct+"/bands", v)
	wantContains(t, page, "Saved 2 rating band(s).")
	got, err := e.store.RatingBands(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Band{{MinPercent: 0, Rating: 1, Label: "Strong No Hire"}, {MinPercent: 60, Rating: 4, Label: "Strong Hire"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got bands %+v, want %+v", got, want)
	}

	_, page = c.submit("/accounts/"+acct+"/bands", url.Values{"action": {"defaults"}})
	wantContains(t, page, "Rating bands reset to the defaults.")
	if got, _ := e.store.RatingBands(context.Background(), acct); len(got) != 0 {
		t.Errorf("after reset: got %d bands stored, want 0", len(got))
	}
}

func TestLeverTextIsEscaped(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	e.lever.AddPosting(acct, leversim.Posting{ID: "post-xss", Text: "<script>alert(1)</script>"})
	e.lever.AddStage(acct, "stage-xss", `<img src=x onerror="alert(2)">`)
	c := e.loggedIn()
	res, page := c.get("/accounts/" + acct)
	wantStatus(t, res, http.StatusOK)
	for _, raw := range []string{"<script>alert(1)</script>", `<img src=x onerror="alert(2)">`} {
		if strings.Contains(page, raw) {
			t.Errorf("page contains %q unescaped", raw)
		}
	}
	wantContains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;")
	wantContains(t, page, "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;")
}

func TestLeverErrorsBecomeNotices(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	e.lever.InjectFault(leversim.Fault{Method: "GET", PathContains: "/stages", Status: http.StatusBadRequest})
	res, page := c.get("/accounts/" + acct)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, page, "Lever answered status 400 while listing stages")
	wantContains(t, page, "Backend Engineer") // the rest of the page still works

	// The account's static token cannot be refreshed: a 401 is a revocation.
	e.lever.InjectFault(leversim.Fault{Method: "GET", PathContains: "/stages", Status: http.StatusUnauthorized})
	_, page = c.submit("/accounts/"+acct+"/stages", url.Values{"stage": {stageB}})
	wantContains(t, page, "Lever no longer accepts this account")
	wantContains(t, page, "The account is now marked disconnected.")
	if a := e.account(acct); len(a.TriggerStages) != 0 || a.Status != store.StatusDisconnected {
		t.Errorf("got trigger stages %q saved, status %q, want none, disconnected", a.TriggerStages, a.Status)
	}
}
