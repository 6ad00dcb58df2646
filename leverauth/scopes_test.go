package leverauth_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// TestScopesCoverClient keeps Scopes in step with lever.Client: every exported method has an
// entry naming the scopes it needs, which must be what the endpoints it calls require
// (lever.ScopeFor, and the simulator's own table); each call succeeds with a token granted
// Scopes() on a simulator that enforces scopes; and Scopes asks for nothing no method needs,
// offline_access aside. A new client method without an entry fails here.
func TestScopesCoverClient(t *testing.T) {
	const (
		oppID     = "opp-1"
		postingID = "posting-1"
		userID    = "user-1"
		email     = "rita@acme.example"
		hookURL   = "https://bridge.example/webhooks/lever/acme"
	)
	sim := leversim.New(leversim.Options{Rate: -1, OAuthClientID: clientID, OAuthClientSecret: clientSecret})
	sim.AddAccount(accountID, staticToken)
	sim.AddStage(accountID, "stage-1", "Assessment")
	sim.AddUser(accountID, leversim.User{ID: userID, Name: "Rita", Email: email})
	sim.AddPosting(accountID, leversim.Posting{ID: postingID, Text: "Backend"})
	sim.AddOpportunity(accountID, leversim.Opportunity{ID: oppID, Name: "Casey", Emails: []string{"casey@example.com"},
		StageID: "stage-1", PostingID: postingID})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	e := &simEnv{sim: sim, url: srv.URL, cfg: simConfig(srv.URL)}
	lc, err := lever.New(srv.URL, lever.WithTokenSource(oauth2.StaticTokenSource(e.connect(t))))
	if err != nil {
		t.Fatalf("lever.New: %v", err)
	}

	ctx := context.Background()
	var template *lever.FeedbackTemplate
	var hook *lever.WebhookConfig
	// In order: later entries use what earlier ones created.
	methods := []struct {
		name   string
		scopes []string
		call   func() error
	}{
		{"GetOpportunity", []string{lever.ScopeOpportunitiesRead}, func() error { _, err := lc.GetOpportunity(ctx, oppID); return err }},
		{"ListOpportunities", []string{lever.ScopeOpportunitiesRead}, func() error {
			_, err := lc.ListOpportunities(ctx, lever.OpportunityFilter{StageIDs: []string{"stage-1"}})
			return err
		}},
		{"AddTags", []string{lever.ScopeOpportunitiesWrite}, func() error { return lc.AddTags(ctx, oppID, []string{"Go Test - Invited"}, userID) }},
		{"RemoveTags", []string{lever.ScopeOpportunitiesWrite}, func() error { return lc.RemoveTags(ctx, oppID, []string{"Go Test - Invited"}, userID) }},
		{"ChangeStage", []string{lever.ScopeOpportunitiesWrite}, func() error { return lc.ChangeStage(ctx, oppID, "stage-1", userID) }},
		{"AddNote", []string{lever.ScopeNotesWrite}, func() error {
			_, err := lc.AddNote(ctx, oppID, lever.NewNote{Value: "Scored 80%"}, userID)
			return err
		}},
		{"ListNotes", []string{lever.ScopeNotesRead}, func() error { _, err := lc.ListNotes(ctx, oppID); return err }},
		{"ListFeedbackTemplates", []string{lever.ScopeFeedbackTemplatesRead}, func() error { _, err := lc.ListFeedbackTemplates(ctx); return err }},
		{"CreateFeedbackTemplate", []string{lever.ScopeFeedbackTemplatesWrite}, func() error {
			var err error
			template, err = lc.CreateFeedbackTemplate(ctx, lever.NewFeedbackTemplate{Text: "Assessment", Fields: []lever.NewTemplateField{{
				Type: lever.FieldTypeScoreSystem, Text: "Rating", Required: true,
				Options: []lever.FieldOption{{Text: "4 - Strong Hire"}, {Text: "3 - Hire"}, {Text: "2 - No Hire"}, {Text: "1 - Strong No Hire"}},
			}}}, userID)
			return err
		}},
		{"GetFeedbackTemplate", []string{lever.ScopeFeedbackTemplatesRead}, func() error { _, err := lc.GetFeedbackTemplate(ctx, template.ID); return err }},
		{"AddFeedback", []string{lever.ScopeFeedbackWrite}, func() error {
			_, err := lc.AddFeedback(ctx, oppID, lever.NewFeedback{BaseTemplateID: template.ID,
				FieldValues: []lever.FieldValue{{ID: template.Fields[0].ID, Value: "3 - Hire"}}}, userID)
			return err
		}},
		{"ListFeedback", []string{lever.ScopeFeedbackRead}, func() error { _, err := lc.ListFeedback(ctx, oppID); return err }},
		{"UploadFile", []string{lever.ScopeFilesWrite}, func() error {
			_, err := lc.UploadFile(ctx, oppID, lever.NewFile{Name: "report.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")}, userID)
			return err
		}},
		{"ListFiles", []string{lever.ScopeFilesRead}, func() error { _, err := lc.ListFiles(ctx, oppID); return err }},
		{"ListStages", []string{lever.ScopeStagesRead}, func() error { _, err := lc.ListStages(ctx); return err }},
		{"GetPosting", []string{lever.ScopePostingsRead}, func() error { _, err := lc.GetPosting(ctx, postingID); return err }},
		{"ListPostings", []string{lever.ScopePostingsRead}, func() error { _, err := lc.ListPostings(ctx); return err }},
		{"UpdatePostingTags", []string{lever.ScopePostingsRead, lever.ScopePostingsWrite}, func() error {
			_, err := lc.UpdatePostingTags(ctx, postingID, func(tags []string) []string { return append(tags, "assessment:as-1") }, userID)
			return err
		}},
		{"FindUserByEmail", []string{lever.ScopeUsersRead}, func() error { _, err := lc.FindUserByEmail(ctx, email); return err }},
		{"ListArchiveReasons", []string{lever.ScopeArchiveReasonsRead}, func() error { _, err := lc.ListArchiveReasons(ctx); return err }},
		{"Archive", []string{lever.ScopeOpportunitiesWrite}, func() error { return lc.Archive(ctx, oppID, leversim.ReasonWithdrew, userID) }},
		{"ListWebhooks", []string{lever.ScopeWebhooksRead}, func() error { _, err := lc.ListWebhooks(ctx); return err }},
		{"CreateWebhook", []string{lever.ScopeWebhooksWrite}, func() error {
			var err error
			hook, err = lc.CreateWebhook(ctx, lever.EventStageChange, hookURL)
			return err
		}},
		{"DeleteWebhook", []string{lever.ScopeWebhooksWrite}, func() error { return lc.DeleteWebhook(ctx, hook.ID) }},
	}

	listed := map[string]bool{}
	needed := map[string]bool{}
	for _, m := range methods {
		listed[m.name] = true
		before := sim.Calls(accountID).ByRoute
		if err := m.call(); err != nil {
			t.Fatalf("%s with a token granted Scopes(): got error %v, want nil", m.name, err)
		}
		var used []string
		for route, n := range sim.Calls(accountID).ByRoute {
			if n == before[route] {
				continue
			}
			method, path, _ := strings.Cut(route, " ")
			scope := lever.ScopeFor(method, path)
			if scope == "" || scope != leversim.RouteScope(route) {
				t.Errorf("%s calls %s: got scope %q from lever.ScopeFor and %q from the simulator, want the same, known scope",
					m.name, route, scope, leversim.RouteScope(route))
			}
			if !slices.Contains(used, scope) {
				used = append(used, scope)
			}
		}
		slices.Sort(used)
		if want := slices.Sorted(slices.Values(m.scopes)); !slices.Equal(used, want) {
			t.Errorf("%s: got requests needing %q, want %q as its entry says", m.name, used, want)
		}
		for _, s := range m.scopes {
			needed[s] = true
		}
	}
	client := reflect.TypeFor[*lever.Client]()
	for i := range client.NumMethod() {
		if name := client.Method(i).Name; !listed[name] {
			t.Errorf("lever.Client.%s: got no entry here, want one naming the scopes it needs (and those in leverauth.Scopes)", name)
		}
	}
	granted := leverauth.Scopes()
	for _, s := range slices.Sorted(maps.Keys(needed)) {
		if !slices.Contains(granted, s) {
			t.Errorf("Scopes(): got no %q, which a client method needs", s)
		}
	}
	for _, s := range granted {
		if s != "offline_access" && !needed[s] {
			t.Errorf("Scopes(): got %q, which no client method needs", s)
		}
	}
}
