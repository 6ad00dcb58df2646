package devstack_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/devstack"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	csrfInput   = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// browser is an HTTP client with cookies, the way an admin's browser talks to the admin page.
type browser struct {
	t *testing.T
	c *http.Client
}

func (b *browser) do(method, u string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		b.t.Fatalf("%s %s: status %d: %.300s", method, u, resp.StatusCode, text)
	}
	return resp, string(text)
}

// post submits a form of the page at pageURL, with the page's CSRF token.
func (b *browser) post(pageURL, action string, form url.Values) string {
	b.t.Helper()
	_, page := b.do(http.MethodGet, pageURL, nil)
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s", pageURL)
	}
	form.Set("csrf", html.UnescapeString(m[1]))
	_, text := b.do(http.MethodPost, action, form)
	return text
}

// TestAdminConnectsAndCandidateCompletes: an admin with only a browser logs in, adds an account,
// connects the simulated Lever through its OAuth consent page, picks the trigger stage, the user to
// write as and a posting's assessment; a candidate moved into that stage completes the journey.
func TestAdminConnectsAndCandidateCompletes(t *testing.T) {
	ctx := context.Background()
	s := start(t, t.TempDir())
	defer s.Stop()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, c: &http.Client{Jar: jar}}
	base := s.HTTPURL() + "/admin"

	b.post(base+"/login", base+"/login", url.Values{"password": {s.Config.AdminPassword}})
	b.post(base, base+"/accounts", url.Values{"id": {"acme"}, "name": {"Acme"}})
	acct := base + "/accounts/acme"

	// Connect: our page sends the browser to Lever's consent page; the admin clicks Allow.
	_, consent := b.do(http.MethodPost, acct+"/connect", withCSRF(t, b, acct))
	decision := url.Values{"decision": {"allow"}, "account": {devstack.DemoAccount}}
	for _, m := range hiddenInput.FindAllStringSubmatch(consent, -1) {
		decision.Set(m[1], html.UnescapeString(m[2]))
	}
	if decision.Get("state") == "" {
		t.Fatalf("consent page without the OAuth state: %.300s", consent)
	}
	_, page := b.do(http.MethodPost, s.Sims.LeverURL+"/authorize/decision", decision)
	if !strings.Contains(page, "connected") {
		t.Fatalf("account page after consent does not say connected: %.300s", page)
	}

	b.post(acct, acct+"/perform-as", url.Values{"email": {"riley@demo.example"}})
	b.post(acct, acct+"/stages", url.Values{"stage": {devstack.DemoTriggerStage}})
	b.post(acct, acct+"/catalogue", url.Values{})
	s.Sims.Lever.AddPosting(devstack.DemoAccount, leversim.Posting{ID: "post-sre", Text: "Site Reliability Engineer"})
	b.post(acct, acct+"/mappings", url.Values{"posting": {"post-sre"}, "assessment": {"go-basics"}})

	a, err := s.Store.Account(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != "connected" || a.RefreshToken == "" || !slices.Equal(a.TriggerStages, []string{devstack.DemoTriggerStage}) || a.PerformAs != devstack.DemoPerformAs || len(a.WebhookTokens) < 4 {
		t.Fatalf("account after setup: status %q, refresh token set %v, stages %v, perform as %q, %d webhook tokens",
			a.Status, a.RefreshToken != "", a.TriggerStages, a.PerformAs, len(a.WebhookTokens))
	}

	// The seeded demo account watches the same simulated Lever account; take it out of the way
	// so only "acme" acts on this stage change.
	if err := s.Store.UpdateAccount(ctx, devstack.DemoAccount, func(a *store.Account) error { a.TriggerStages = nil; return nil }); err != nil {
		t.Fatal(err)
	}
	// A recruiter moves a candidate for the mapped posting into the chosen stage.
	s.Sims.Lever.AddOpportunity(devstack.DemoAccount, leversim.Opportunity{ID: "opp-admin", Name: "Nia", Emails: []string{"nia@candidates.example"},
		StageID: "stage-phone", PostingID: "post-sre"})
	if err := s.Sims.Lever.MoveToStage(ctx, devstack.DemoAccount, "opp-admin", devstack.DemoTriggerStage); err != nil {
		t.Fatal(err)
	}
	id := workflows.WorkflowID("acme", "opp-admin")
	var inv string
	waitFor(t, func() bool {
		got, ok := s.Sims.Platform.InvitationByReference(id)
		inv = got.ID
		return ok
	})
	if err := s.Sims.Platform.Start(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if err := s.Sims.Platform.Submit(ctx, inv, assessment.Result{Score: fp(55), MaxScore: fp(100), ReportURL: "https://r/nia"}); err != nil {
		t.Fatal(err)
	}
	var res workflows.Result
	if err := s.Temporal.GetWorkflow(ctx, id, "").Get(ctx, &res); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	snap, _ := s.Sims.Lever.Snapshot(devstack.DemoAccount, "opp-admin")
	if res.Rating != 3 || len(snap.Feedback) != 1 || snap.Feedback[0].Rating != "3 - Hire" || len(snap.Notes) != 1 ||
		!slices.Contains(snap.Tags, "Go Basics - Submitted") {
		t.Errorf("end: rating %d, feedback %+v, %d notes, tags %q; want 3 - Hire, one note, Go Basics - Submitted", res.Rating, snap.Feedback, len(snap.Notes), snap.Tags)
	}
	// The account page lists the candidate with a link into the Temporal UI, and the candidate's
	// page shows the audit trail of every call the journey made.
	_, page = b.do(http.MethodGet, acct, nil)
	if !strings.Contains(page, "opp-admin") || !strings.Contains(page, s.UIURL()) {
		t.Errorf("account page does not list the candidate with a Temporal UI link")
	}
	_, page = b.do(http.MethodGet, acct+"/candidates/opp-admin", nil)
	for _, want := range []string{`id="audit"`, "invite to go-basics", "post feedback 3 - Hire", "post result note", ">completed<"} {
		if !strings.Contains(page, want) {
			t.Errorf("candidate page lacks %q", want)
		}
	}
	// Invitation settings saved from the page reach the store.
	b.post(acct, acct+"/invitations", url.Values{"remind_days": {"2"}, "expire_days": {"5"}, "policy": {"after"}, "reinvite_days": {"30"}})
	if a, _ := s.Store.Account(ctx, "acme"); a.ExpireAfter != 5*24*time.Hour || a.ReinvitePolicy != "after" || a.ReinviteAfter != 30*24*time.Hour {
		t.Errorf("invitation settings: got expire %s, policy %q after %s", a.ExpireAfter, a.ReinvitePolicy, a.ReinviteAfter)
	}
}

func withCSRF(t *testing.T, b *browser, pageURL string) url.Values {
	t.Helper()
	_, page := b.do(http.MethodGet, pageURL, nil)
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on %s", pageURL)
	}
	return url.Values{"csrf": {html.UnescapeString(m[1])}}
}

func fp(v float64) *float64 { return &v }
