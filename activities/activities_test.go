package activities_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/assessbridge/assessbridge/accounts"
	"github.com/assessbridge/assessbridge/activities"
	"github.com/assessbridge/assessbridge/assessment"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
)

const acct = "acme"

type fixture struct {
	acts     *activities.Activities
	lever    *leversim.Server
	platform *platformsim.Server
	store    *store.Store
	env      *testsuite.TestActivityEnvironment
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	ls := leversim.New(leversim.Options{})
	lsrv := httptest.NewServer(ls)
	t.Cleanup(lsrv.Close)
	ls.AddAccount(acct, "tok")
	ls.AddUser(acct, leversim.User{ID: "u-1", Name: "Rita", Email: "rita@acme.example"})
	ls.AddPosting(acct, leversim.Posting{ID: "post-py", Text: "Python dev", Tags: []string{"Remote", "assessment:as-py"}})
	ls.AddPosting(acct, leversim.Posting{ID: "post-go", Text: "Go dev", Tags: []string{"as-go"}})
	ls.AddPosting(acct, leversim.Posting{ID: "post-mapped", Text: "SRE"})
	ls.AddPosting(acct, leversim.Posting{ID: "post-none", Text: "Sales"})

	ps := platformsim.New(platformsim.Options{APIKey: "pk", CallbackURL: "http://127.0.0.1:1/cb", CallbackSecret: "s"})
	psrv := httptest.NewServer(ps)
	t.Cleanup(psrv.Close)
	ps.AddAssessment("as-go", "Go Test")

	key := make([]byte, 32)
	_, _ = rand.Read(key)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	must(t, st.PutAccount(ctx, store.Account{ID: acct, Status: "connected", LeverBaseURL: lsrv.URL, AccessToken: "tok", PerformAs: "u-1"}))
	for _, a := range []store.Assessment{{ID: "as-go", Title: "Go Test"}, {ID: "as-py", Title: "Python Test"}, {ID: "as-sre", Title: "SRE Test"}} {
		must(t, st.PutAssessment(ctx, acct, a))
	}
	must(t, st.MapPosting(ctx, acct, "post-mapped", "as-sre"))

	pc, err := assessment.NewClient(psrv.URL, "pk")
	if err != nil {
		t.Fatal(err)
	}
	acts, err := activities.New(activities.AccountClients(accounts.New(st, accounts.Config{})), pc, st, activities.Config{CallbackURL: "http://127.0.0.1:1/cb"})
	if err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	return &fixture{acts: acts, lever: ls, platform: ps, store: st, env: env}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) resolve(t *testing.T, opp string) (activities.Resolution, error) {
	t.Helper()
	v, err := f.env.ExecuteActivity(f.acts.Resolve, activities.ResolveInput{AccountID: acct, OpportunityID: opp})
	if err != nil {
		return activities.Resolution{}, err
	}
	var res activities.Resolution
	must(t, v.Get(&res))
	return res, nil
}

func TestResolveChoosesAssessment(t *testing.T) {
	f := newFixture(t)
	opps := []leversim.Opportunity{
		{ID: "o-tag", Name: "Tagged", Emails: []string{"a@x.example"}, Tags: []string{"Referral", "Go Test"}, PostingID: "post-py"},
		{ID: "o-posting-prefix", Name: "P", Emails: []string{"p@x.example"}, PostingID: "post-py"},
		{ID: "o-posting-id", Name: "G", Emails: []string{"g@x.example"}, PostingID: "post-go"},
		{ID: "o-mapped", Name: "M", Emails: []string{"m@x.example"}, PostingID: "post-mapped"},
		{ID: "o-none", Name: "N", Emails: []string{"n@x.example"}, PostingID: "post-none"},
		{ID: "o-noposting", Name: "N", Emails: []string{"n@x.example"}},
	}
	for _, o := range opps {
		f.lever.AddOpportunity(acct, o)
	}
	tests := []struct {
		opp, wantID, wantSource string
	}{
		{"o-tag", "as-go", "candidate_tag"},
		{"o-posting-prefix", "as-py", "posting_tag"},
		{"o-posting-id", "as-go", "posting_tag"},
		{"o-mapped", "as-sre", "mapping"},
		{"o-none", "", ""},
		{"o-noposting", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.opp, func(t *testing.T) {
			res, err := f.resolve(t, tt.opp)
			if err != nil {
				t.Fatal(err)
			}
			if res.AssessmentID != tt.wantID || res.Source != tt.wantSource {
				t.Errorf("got %q via %q, want %q via %q", res.AssessmentID, res.Source, tt.wantID, tt.wantSource)
			}
			if len(res.Bands) != 4 {
				t.Errorf("bands: got %d, want the 4 default bands", len(res.Bands))
			}
		})
	}
	// Postings are read once per account, not once per candidate.
	if n := f.lever.Calls(acct).ByRoute["GET /postings/:id"]; n != 4 {
		t.Errorf("posting reads: got %d, want 4 (one per distinct posting)", n)
	}
	if _, err := f.resolve(t, "o-posting-prefix"); err != nil {
		t.Fatal(err)
	}
	if n := f.lever.Calls(acct).ByRoute["GET /postings/:id"]; n != 4 {
		t.Errorf("posting reads after a cached resolve: got %d, want 4", n)
	}
}

func TestResolvePermanentFailures(t *testing.T) {
	f := newFixture(t)
	f.lever.AddOpportunity(acct, leversim.Opportunity{ID: "o-noemail", Name: "X", Tags: []string{"Go Test"}})
	tests := []struct {
		opp, wantType string
	}{
		{"o-noemail", activities.ErrTypeNoEmail},
		{"o-missing", activities.ErrTypeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.opp, func(t *testing.T) {
			_, err := f.resolve(t, tt.opp)
			var appErr *temporal.ApplicationError
			if !errors.As(err, &appErr) || appErr.Type() != tt.wantType || !appErr.NonRetryable() {
				t.Fatalf("got %v, want non-retryable %s", err, tt.wantType)
			}
		})
	}
}

func TestResolveArchived(t *testing.T) {
	f := newFixture(t)
	f.lever.AddOpportunity(acct, leversim.Opportunity{ID: "o-arch", Name: "A", Emails: []string{"a@x.example"}, Tags: []string{"Go Test"}})
	must(t, f.lever.Archive(context.Background(), acct, "o-arch", "withdrew"))
	res, err := f.resolve(t, "o-arch")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Archived {
		t.Errorf("archived: got false, want true")
	}
}

func TestAccessRevokedDisconnectsTheAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.store.Account(ctx, acct)
	must(t, err)
	a.AccessToken = "revoked-token"
	must(t, f.store.PutAccount(ctx, a))
	_, err = f.resolve(t, "o-any")
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != activities.ErrTypeDisconnected || !appErr.NonRetryable() {
		t.Fatalf("got %v, want non-retryable %s for the workflow to wait on", err, activities.ErrTypeDisconnected)
	}
	if a, _ = f.store.Account(ctx, acct); a.Status != store.StatusDisconnected {
		t.Errorf("account status: got %q, want %q", a.Status, store.StatusDisconnected)
	}
	// While disconnected no activity calls Lever; they all report the same.
	before := f.lever.Calls(acct).Total
	_, err = f.env.ExecuteActivity(f.acts.AddTags, activities.TagInput{AccountID: acct, OpportunityID: "o-any", Tags: []string{"x"}})
	if !errors.As(err, &appErr) || appErr.Type() != activities.ErrTypeDisconnected {
		t.Fatalf("add tags while disconnected: got %v, want %s", err, activities.ErrTypeDisconnected)
	}
	if after := f.lever.Calls(acct).Total; after != before {
		t.Errorf("lever calls while disconnected: got %d more, want none", after-before)
	}
	v, err := f.env.ExecuteActivity(f.acts.AccountConnected, acct)
	must(t, err)
	var connected bool
	must(t, v.Get(&connected))
	if connected {
		t.Errorf("AccountConnected: got true, want false")
	}
}

func TestPostFeedbackCreatesTemplateOnceAndSendsOptionText(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"o-1", "o-2"} {
		f.lever.AddOpportunity(acct, leversim.Opportunity{ID: id, Name: id, Emails: []string{id + "@x.example"}})
	}
	for i, tt := range []struct {
		opp    string
		rating int
		label  string
	}{{"o-1", 2, "No Hire"}, {"o-2", 4, "Strong Hire"}} {
		_, err := f.env.ExecuteActivity(f.acts.PostFeedback, activities.FeedbackInput{
			AccountID: acct, OpportunityID: tt.opp, Rating: tt.rating, RatingLabel: tt.label,
			Summary: "Go Test: 40 of 100", ReportURL: "https://r/" + tt.opp, Marker: "m" + string(rune('0'+i)),
		})
		if err != nil {
			t.Fatalf("post feedback %s: %v", tt.opp, err)
		}
		snap, _ := f.lever.Snapshot(acct, tt.opp)
		want := []string{"", "", "2 - No Hire", "", "4 - Strong Hire"}[tt.rating]
		if len(snap.Feedback) != 1 || snap.Feedback[0].Rating != want || snap.Feedback[0].PerformAs != "u-1" {
			t.Errorf("feedback on %s: got %+v, want one rated %q as u-1", tt.opp, snap.Feedback, want)
		}
	}
	if n := f.lever.Calls(acct).ByRoute["POST /feedback_templates"]; n != 1 {
		t.Errorf("templates created: got %d, want 1", n)
	}
	if n := len(f.lever.Templates(acct)); n != 1 {
		t.Errorf("templates in Lever: got %d, want 1", n)
	}
}

func TestPostFeedbackNeedsPerformAs(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.store.Account(ctx, acct)
	must(t, err)
	a.PerformAs = ""
	must(t, f.store.PutAccount(ctx, a))
	f.lever.AddOpportunity(acct, leversim.Opportunity{ID: "o-1", Name: "x", Emails: []string{"x@x.example"}})
	_, err = f.env.ExecuteActivity(f.acts.PostFeedback, activities.FeedbackInput{AccountID: acct, OpportunityID: "o-1", Rating: 3, RatingLabel: "Hire", Summary: "s", Marker: "m"})
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != activities.ErrTypeAccount || !appErr.NonRetryable() {
		t.Fatalf("got %v, want non-retryable %s", err, activities.ErrTypeAccount)
	}
}

func TestTagsAndNote(t *testing.T) {
	f := newFixture(t)
	f.lever.AddOpportunity(acct, leversim.Opportunity{ID: "o-1", Name: "x", Emails: []string{"x@x.example"}, Tags: []string{"Go Test", "Referral"}})
	_, err := f.env.ExecuteActivity(f.acts.AddTags, activities.TagInput{AccountID: acct, OpportunityID: "o-1", Tags: []string{"Go Test - Invited"}})
	must(t, err)
	_, err = f.env.ExecuteActivity(f.acts.RemoveTags, activities.TagInput{AccountID: acct, OpportunityID: "o-1", Tags: []string{"Go Test"}})
	must(t, err)
	_, err = f.env.ExecuteActivity(f.acts.PostNote, activities.NoteInput{AccountID: acct, OpportunityID: "o-1", Text: "hello", Marker: "abc"})
	must(t, err)
	snap, _ := f.lever.Snapshot(acct, "o-1")
	if len(snap.Tags) != 2 || snap.Tags[0] != "Referral" || snap.Tags[1] != "Go Test - Invited" {
		t.Errorf("tags: got %q, want [Referral, Go Test - Invited]", snap.Tags)
	}
	if len(snap.Notes) != 1 || snap.Notes[0].Value != "hello\n\n"+activities.MarkerLine("abc") {
		t.Errorf("notes: got %+v, want one ending in the marker line", snap.Notes)
	}
}

func TestInviteIsIdempotent(t *testing.T) {
	f := newFixture(t)
	in := activities.InviteInput{IdempotencyKey: "lever/acme/o-1", Reference: "lever/acme/o-1", AssessmentID: "as-go", CandidateName: "X", CandidateEmail: "x@x.example"}
	var first, second activities.InviteResult
	v, err := f.env.ExecuteActivity(f.acts.Invite, in)
	must(t, err)
	must(t, v.Get(&first))
	v, err = f.env.ExecuteActivity(f.acts.Invite, in)
	must(t, err)
	must(t, v.Get(&second))
	if first.InvitationID == "" || first.InvitationID != second.InvitationID || len(f.platform.Invitations()) != 1 {
		t.Errorf("got %q and %q with %d invitations, want the same one", first.InvitationID, second.InvitationID, len(f.platform.Invitations()))
	}
	in.AssessmentID = "as-unknown"
	in.IdempotencyKey = "lever/acme/o-2"
	_, err = f.env.ExecuteActivity(f.acts.Invite, in)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || !appErr.NonRetryable() {
		t.Errorf("unknown assessment: got %v, want non-retryable", err)
	}
}
