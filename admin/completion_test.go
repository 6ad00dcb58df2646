package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

// completionForm posts the section with every field; change edits it first.
func completionValues(change func(v url.Values)) url.Values {
	v := url.Values{
		"completion_stage": {stageB}, "pass_threshold": {"70"}, "pass_stage": {stageA}, "fail_stage": {""},
		"archive_below": {"30"}, "archive_reason": {leversim.ReasonUnderqualified}, "grace_hours": {"48"},
		"upload_report": {"on"},
	}
	if change != nil {
		change(v)
	}
	return v
}

func TestCompletionDefaultsOff(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	res, page := c.get("/accounts/" + acct)
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{
		`<option value="" selected>— don&#39;t move —</option>`,
		`<option value="` + stageB + `">Assessment</option>`,
		`name="pass_threshold" value=""`, `name="archive_below" value=""`, `name="grace_hours" value=""`,
		`placeholder="24"`,
		`<option value="" selected>— choose a reason —</option>`,
		`<option value="` + leversim.ReasonUnderqualified + `">Underqualified</option>`,
		`name="upload_report" value="on">`, `name="invite_on_application" value="on">`,
		`id="archive-warning"`, "admin page → candidate → Keep",
	} {
		wantContains(t, page, want)
	}
	if strings.Contains(page, leversim.ReasonHired) {
		t.Errorf("page offers the hired archive reason; want only non-hired ones")
	}
}

func TestSaveCompletion(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	c.get("/accounts/" + acct)
	_, page := c.submit("/accounts/"+acct+"/completion", completionValues(nil))
	wantContains(t, page, "Settings for submissions saved")

	a := e.account(acct)
	got := completionOf(a)
	want := completionForm{Stage: stageB, PassThreshold: "70", PassStage: stageA, ArchiveBelow: "30",
		Reason: leversim.ReasonUnderqualified, GraceHours: "48", UploadReport: true}
	if !sameCompletion(got, want) {
		t.Errorf("stored: got %+v, want %+v", got, want)
	}
	if a.ArchiveGrace != 48*time.Hour {
		t.Errorf("grace: got %s, want 48h", a.ArchiveGrace)
	}
	// The reloaded page shows what is stored.
	for _, s := range []string{
		`<option value="` + stageB + `" selected>Assessment</option>`,
		`name="pass_threshold" value="70"`, `name="archive_below" value="30"`, `name="grace_hours" value="48"`,
		`<option value="` + leversim.ReasonUnderqualified + `" selected>Underqualified</option>`,
		`name="upload_report" value="on" checked>`,
	} {
		wantContains(t, page, s)
	}
	if strings.Contains(page, `name="invite_on_application" value="on" checked`) {
		t.Errorf("invite on application shown checked, want unchecked")
	}

	// Turning everything off again.
	_, page = c.submit("/accounts/"+acct+"/completion", url.Values{})
	wantContains(t, page, "Settings for submissions saved")
	if got := completionOf(e.account(acct)); !sameCompletion(got, completionForm{Reason: ""}) {
		t.Errorf("after clearing: got %+v, want everything off", got)
	}
}

func sameCompletion(x, y completionForm) bool {
	return x.Stage == y.Stage && x.PassStage == y.PassStage && x.FailStage == y.FailStage && x.Reason == y.Reason &&
		x.PassThreshold == y.PassThreshold && x.ArchiveBelow == y.ArchiveBelow && x.GraceHours == y.GraceHours &&
		x.UploadReport == y.UploadReport && x.InviteOnApplication == y.InviteOnApplication
}

func TestSaveCompletionRejects(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	e.lever.AddStage(acct, "stage-offer", "Offer")
	c := e.loggedIn()
	tests := []struct {
		name   string
		change func(v url.Values)
		want   string
		kept   string // the typed input shown again
	}{
		{"threshold not a number", func(v url.Values) { v.Set("pass_threshold", "seventy") }, "the pass threshold must be a percentage from 0 to 100", `value="seventy"`},
		{"threshold above 100", func(v url.Values) { v.Set("pass_threshold", "150") }, "the pass threshold must be a percentage from 0 to 100", `value="150"`},
		{"archive below 0", func(v url.Values) { v.Set("archive_below", "-5") }, "the auto-archive threshold must be a percentage from 0 to 100", `value="-5"`},
		{"archive without reason", func(v url.Values) { v.Set("archive_reason", "") }, "auto-archive needs an archive reason", `name="archive_below" value="30"`},
		{"hired reason", func(v url.Values) { v.Set("archive_reason", leversim.ReasonHired) }, "the archive reason is one for hired candidates", ""},
		{"unknown reason", func(v url.Values) { v.Set("archive_reason", "reason-nope") }, "the archive reason is not one of the account&#39;s Lever archive reasons", "reason-nope (not listed by Lever)"},
		{"unknown stage", func(v url.Values) { v.Set("completion_stage", "stage-nope") }, "the stage to move to is not one of the account&#39;s Lever stages", ""},
		{"pass stage without threshold", func(v url.Values) { v.Set("pass_threshold", "") }, "a stage for passes needs a pass threshold", ""},
		{"grace too short", func(v url.Values) { v.Set("grace_hours", "0.5") }, "the archive grace period must be from 1 hour to 30 days", `value="0.5"`},
		{"grace not a number", func(v url.Values) { v.Set("grace_hours", "a day") }, "the archive grace period must be a number of hours", ""},
		{"archive above pass", func(v url.Values) { v.Set("archive_below", "80") }, "candidates who passed would be archived", ""},
		{"malformed id", func(v url.Values) { v.Set("fail_stage", "a b") }, "malformed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.get("/accounts/" + acct)
			res, page := c.post("/accounts/"+acct+"/completion", completionValues(tt.change))
			wantStatus(t, res, http.StatusBadRequest)
			wantContains(t, page, "Settings for submissions not saved")
			wantContains(t, page, tt.want)
			if tt.kept != "" {
				wantContains(t, page, tt.kept)
			}
			if got := completionOf(e.account(acct)); !sameCompletion(got, completionForm{}) {
				t.Errorf("stored after a rejected form: got %+v, want nothing", got)
			}
		})
	}
}

// TestCompletionReasonsUnlisted: when Lever will not list archive reasons, the page says so and
// takes the reason's id as typed.
func TestCompletionReasonsUnlisted(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	e.lever.InjectFault(leversim.Fault{Method: "GET", PathContains: "/archive_reasons", Status: http.StatusForbidden})
	res, page := c.get("/accounts/" + acct)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, page, `id="reasons-error"`)
	wantContains(t, page, "Lever did not grant archive_reasons:read:admin while listing archive reasons: reconnect to grant it.")
	wantContains(t, page, `<input type="text" id="archive-reason" name="archive_reason"`)

	e.lever.InjectFault(leversim.Fault{Method: "GET", PathContains: "/archive_reasons", Status: http.StatusForbidden})
	_, page = c.submit("/accounts/"+acct+"/completion", completionValues(func(v url.Values) { v.Set("archive_reason", "reason-typed") }))
	wantContains(t, page, "Settings for submissions saved")
	if got := e.account(acct).ArchiveReasonID; got != "reason-typed" {
		t.Errorf("archive reason: got %q, want the typed id", got)
	}
}

// TestInviteOnApplicationWebhook: turning the invitation on application on registers Lever's
// applicationCreated webhook (with the journey's four), turning it off removes it again.
func TestInviteOnApplicationWebhook(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	c.get("/accounts/" + acct)
	on := url.Values{"invite_on_application": {"on"}}
	_, page := c.submit("/accounts/"+acct+"/completion", on)
	wantContains(t, page, "Settings for submissions saved")
	wantContains(t, page, "(5 created, 0 removed)")
	wantContains(t, page, applicationStep)
	wantContains(t, page, "none is mapped yet")
	wantContains(t, page, "Application Created <span class=\"muted\">(applicationCreated)</span></td><td>registered")

	hooks := e.ourHooks()
	a := e.account(acct)
	if !a.InviteOnApplication {
		t.Errorf("InviteOnApplication: got false, want true")
	}
	for _, event := range managedEvents {
		if len(hooks[event]) != 1 || !slices.Contains(a.WebhookTokens, hooks[event][0].SignatureToken) {
			t.Errorf("event %s: got webhooks %+v, want one whose token the account holds", event, hooks[event])
		}
	}

	// Saving again changes nothing in Lever.
	_, page = c.submit("/accounts/"+acct+"/completion", on)
	wantContains(t, page, "(0 created, 0 removed)")

	// Off, with trigger stages: the journey's four stay, the application webhook goes.
	if err := e.store.UpdateAccount(context.Background(), acct, func(a *store.Account) error {
		a.TriggerStages = []string{stageB}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, page = c.submit("/accounts/"+acct+"/completion", url.Values{})
	wantContains(t, page, "(0 created, 1 removed)")
	hooks = e.ourHooks()
	if len(hooks[lever.EventApplicationCreated]) != 0 || len(hooks[lever.EventStageChange]) != 1 {
		t.Errorf("after turning off: got %d application and %d stage-change webhooks, want 0 and 1",
			len(hooks[lever.EventApplicationCreated]), len(hooks[lever.EventStageChange]))
	}
}

func TestPostingThresholds(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	ctx := context.Background()
	c := e.loggedIn()
	_, page := c.get("/accounts/" + acct)
	wantContains(t, page, `id="pass-`+postingID+`" name="pass_threshold" value=""`)

	res, _ := c.post("/accounts/"+acct+"/posting-settings", url.Values{"posting": {postingID}, "pass_threshold": {"80"}, "q": {"back"}})
	if got, want := res.Header.Get("Location"), accountPath(acct)+"?q=back#assessments"; got != want {
		t.Errorf("got Location %q, want %q", got, want)
	}
	_, page = c.follow(res)
	wantContains(t, page, "Posting thresholds saved.")
	wantContains(t, page, `id="pass-`+postingID+`" name="pass_threshold" value="80"`)
	p, err := e.store.PostingSettings(ctx, acct, postingID)
	if err != nil || p.PassThreshold == nil || *p.PassThreshold != 80 || p.ArchiveBelow != nil {
		t.Errorf("stored: got %+v (%v), want pass 80 only", p, err)
	}

	tests := []struct {
		name       string
		form       url.Values
		want, kept string
	}{
		{"not a number", url.Values{"posting": {postingID}, "pass_threshold": {"high"}}, "the pass threshold must be a percentage from 0 to 100", `value="high"`},
		{"above 100", url.Values{"posting": {postingID}, "pass_threshold": {"101"}}, "the pass threshold must be a percentage from 0 to 100", `value="101"`},
		{"archive without the account's reason", url.Values{"posting": {postingID}, "archive_below": {"20"}}, "auto-archive needs an archive reason: choose one under “When a candidate submits” first", `value="20"`},
		{"no posting", url.Values{"pass_threshold": {"50"}}, "choose a posting", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, page := c.post("/accounts/"+acct+"/posting-settings", tt.form)
			wantStatus(t, res, http.StatusBadRequest)
			wantContains(t, page, "Posting thresholds not saved: ")
			wantContains(t, page, tt.want)
			if tt.kept != "" {
				wantContains(t, page, tt.kept)
			}
			p, _ := e.store.PostingSettings(ctx, acct, postingID)
			if p.PassThreshold == nil || *p.PassThreshold != 80 || p.ArchiveBelow != nil {
				t.Errorf("stored after a rejected form: got %+v, want pass 80 only", p)
			}
		})
	}

	// With an account reason, the posting may archive; the account may not then pass below it.
	c.get("/accounts/" + acct)
	c.submit("/accounts/"+acct+"/completion", url.Values{"archive_reason": {leversim.ReasonWithdrew}})
	_, page = c.submit("/accounts/"+acct+"/posting-settings", url.Values{"posting": {postingID}, "archive_below": {"40"}})
	wantContains(t, page, "Posting thresholds saved.")
	res, page = c.post("/accounts/"+acct+"/completion", url.Values{"pass_threshold": {"30"}, "archive_reason": {leversim.ReasonWithdrew}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, page, "with the thresholds of posting "+postingID+", the auto-archive threshold (40%) is above the pass threshold (30%)")

	// An override of a posting Lever no longer lists can still be cleared.
	if err := e.store.PutPostingSettings(ctx, store.PostingSettings{AccountID: acct, PostingID: "post-closed", PassThreshold: ptrTo(55.0)}); err != nil {
		t.Fatal(err)
	}
	_, page = c.get("/accounts/" + acct)
	wantContains(t, page, `id="pass-post-closed" name="pass_threshold" value="55"`)
	_, page = c.submit("/accounts/"+acct+"/posting-settings", url.Values{"posting": {"post-closed"}})
	wantContains(t, page, "Posting thresholds cleared")
	if _, err := e.store.PostingSettings(ctx, acct, "post-closed"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("cleared override: got %v, want ErrNotFound", err)
	}
}

func ptrTo[T any](v T) *T { return &v }
