package envaccount_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/envaccount"
	"github.com/assessbridge/assessbridge/store"
)

func TestApplyResolves(t *testing.T) {
	tests := []struct {
		name          string
		stages        string
		performAs     string
		wantStages    []string
		wantPerformAs string
		wantCalls     int // requests to Lever: only what must be resolved
	}{
		{name: "stage names, any case", stages: "assessment, On-Site ", wantStages: []string{stageAssess, stageOnsite}, wantCalls: 1},
		{name: "stage ids as Lever lists them", stages: stageAssess + "," + stageScreen, wantStages: []string{stageAssess, stageScreen}, wantCalls: 1},
		{name: "id and name of one stage count once", stages: stageAssess + ",Assessment", wantStages: []string{stageAssess}, wantCalls: 1},
		{name: "perform_as email resolved", performAs: strings.ToUpper(userEmail), wantPerformAs: userID, wantCalls: 1},
		{name: "perform_as id kept without asking Lever", performAs: "user-any", wantPerformAs: "user-any", wantCalls: 0},
		{name: "both", stages: "Assessment", performAs: userEmail, wantStages: []string{stageAssess}, wantPerformAs: userID, wantCalls: 2},
		{name: "key only: nothing to resolve", wantCalls: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, url := leverWithKey(t)
			st := newStore(t)
			ctx := context.Background()
			cfg := loadConfig(t, map[string]string{
				"ASSESSBRIDGE_LEVER_API_KEY": apiKey, "ASSESSBRIDGE_LEVER_API_URL": url,
				"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS": "tok-1,tok-2",
				"ASSESSBRIDGE_TRIGGER_STAGES":       tt.stages, "ASSESSBRIDGE_PERFORM_AS": tt.performAs,
			})
			if err := envaccount.Apply(ctx, cfg, st, newLever); err != nil {
				t.Fatalf("apply: got %v, want no error", err)
			}
			a, err := st.Account(ctx, config.EnvAccountID)
			if err != nil {
				t.Fatalf("read account: %v", err)
			}
			if !slices.Equal(a.TriggerStages, tt.wantStages) || a.PerformAs != tt.wantPerformAs {
				t.Errorf("stages, perform_as: got %q, %q, want %q, %q", a.TriggerStages, a.PerformAs, tt.wantStages, tt.wantPerformAs)
			}
			if a.APIKey != apiKey || a.LeverBaseURL != url || a.Status != store.StatusConnected {
				t.Errorf("credentials: got key set %v, base %q, status %q; want the key, %q, connected", a.APIKey == apiKey, a.LeverBaseURL, a.Status, url)
			}
			if want := []string{"tok-1", "tok-2"}; !slices.Equal(a.WebhookTokens, want) {
				t.Errorf("webhook tokens: got %d tokens, want %d in order", len(a.WebhookTokens), len(want))
			}
			if got := ls.Calls(config.EnvAccountID).Total; got != tt.wantCalls {
				t.Errorf("lever calls: got %d, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestApplyReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		want      []string
		neverShow []string
	}{
		{
			name: "unknown stages and user",
			env: map[string]string{
				"ASSESSBRIDGE_TRIGGER_STAGES": "Assessment,Take-home,Coding Test,stage-nope",
				"ASSESSBRIDGE_PERFORM_AS":     "nobody@acme.example",
			},
			want: []string{`"Take-home", "Coding Test", "stage-nope"`, "ASSESSBRIDGE_TRIGGER_STAGES", "ASSESSBRIDGE_PERFORM_AS",
				`"Assessment" (` + stageAssess + `)`},
			neverShow: []string{"nobody@acme.example"},
		},
		{
			name: "wrong key",
			env: map[string]string{
				"ASSESSBRIDGE_LEVER_API_KEY":  "not-the-key",
				"ASSESSBRIDGE_TRIGGER_STAGES": "Assessment",
				"ASSESSBRIDGE_PERFORM_AS":     userEmail,
			},
			want:      []string{"ASSESSBRIDGE_LEVER_API_KEY", "rejected the API key (401)"},
			neverShow: []string{"not-the-key", userEmail},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { applyRefused(t, tt.env, tt.want, tt.neverShow) })
	}
}

// applyRefused applies env (over a valid API key and URL) and checks the error names every
// want, shows none of neverShow, reports a rejected key once, and nothing was saved.
func applyRefused(t *testing.T, extra map[string]string, want, neverShow []string) {
	t.Helper()
	_, url := leverWithKey(t)
	st := newStore(t)
	env := map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": apiKey, "ASSESSBRIDGE_LEVER_API_URL": url}
	for k, v := range extra {
		env[k] = v
	}
	err := envaccount.Apply(context.Background(), loadConfig(t, env), st, newLever)
	if err == nil {
		t.Fatal("apply: got nil error, want one naming every problem")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("got error %q, want it to contain %q", err, w)
		}
	}
	for _, s := range neverShow {
		if strings.Contains(err.Error(), s) {
			t.Errorf("got error %q, want it without %q", err, s)
		}
	}
	if strings.Count(err.Error(), "ASSESSBRIDGE_LEVER_API_KEY") > 1 {
		t.Errorf("got error %q, want a rejected key reported once", err)
	}
	if n := strings.Count(err.Error(), "rejected the API key"); n > 1 {
		t.Errorf("got the rejected key reported %d times, want once", n)
	}
	if _, err := st.Account(context.Background(), config.EnvAccountID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("account after failed apply: got %v, want not found (nothing saved)", err)
	}
}

func TestApplyAmbiguousStageName(t *testing.T) {
	ls, url := leverWithKey(t)
	ls.AddStage(config.EnvAccountID, "stage-assessment-2", "Assessment")
	cfg := loadConfig(t, map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": apiKey, "ASSESSBRIDGE_LEVER_API_URL": url,
		"ASSESSBRIDGE_TRIGGER_STAGES": "assessment"})
	err := envaccount.Apply(context.Background(), cfg, newStore(t), newLever)
	if err == nil || !strings.Contains(err.Error(), stageAssess) || !strings.Contains(err.Error(), "stage-assessment-2") {
		t.Fatalf("got %v, want an error naming both stages called Assessment", err)
	}
}

func TestApplyWithoutKeyDoesNothing(t *testing.T) {
	st := newStore(t)
	if err := envaccount.Apply(context.Background(), loadConfig(t, nil), st, newLever); err != nil {
		t.Fatalf("apply: got %v, want nil", err)
	}
	if accts, _ := st.Accounts(context.Background()); len(accts) != 0 {
		t.Errorf("accounts: got %d, want 0", len(accts))
	}
}

// TestReapplyUpdatesAndKeeps: a restart with a changed environment updates the account, keeps what
// the environment no longer sets (an admin may have set it), reconnects an account a rejected key
// had disconnected, and leaves an OAuth-connected account alone.
func TestReapplyUpdatesAndKeeps(t *testing.T) {
	ls, url := leverWithKey(t)
	st := newStore(t)
	ctx := context.Background()
	oauth := store.Account{ID: "acme-oauth", Name: "Acme (OAuth)", Status: store.StatusConnected, LeverBaseURL: url,
		AccessToken: "access", RefreshToken: "refresh", TokenExpiry: time.Now().Add(time.Hour).Truncate(time.Millisecond),
		WebhookTokens: []string{"oauth-hook"}, TriggerStages: []string{stageScreen}, PerformAs: "user-sam"}
	if err := st.PutAccount(ctx, oauth); err != nil {
		t.Fatal(err)
	}
	before := mustAccount(t, st, oauth.ID)
	env := map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": apiKey, "ASSESSBRIDGE_LEVER_API_URL": url,
		"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS": "tok-1", "ASSESSBRIDGE_TRIGGER_STAGES": "Assessment", "ASSESSBRIDGE_PERFORM_AS": userEmail}
	if err := envaccount.Apply(ctx, loadConfig(t, env), st, newLever); err != nil {
		t.Fatalf("first apply: %v", err)
	}
	first, _ := st.Account(ctx, config.EnvAccountID)

	// Meanwhile a wrong key had the account disconnected, and an admin renamed it.
	if err := st.SetStatus(ctx, config.EnvAccountID, store.StatusDisconnected); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateAccount(ctx, config.EnvAccountID, func(a *store.Account) error { a.Name = "Acme"; return nil }); err != nil {
		t.Fatal(err)
	}
	ls.AddAccount(config.EnvAccountID, "rotated-key")
	env["ASSESSBRIDGE_LEVER_API_KEY"] = "rotated-key"
	env["ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS"] = "tok-2,tok-3"
	delete(env, "ASSESSBRIDGE_TRIGGER_STAGES")
	delete(env, "ASSESSBRIDGE_PERFORM_AS")
	if err := envaccount.Apply(ctx, loadConfig(t, env), st, newLever); err != nil {
		t.Fatalf("second apply: %v", err)
	}
	a, _ := st.Account(ctx, config.EnvAccountID)
	checks := []struct{ what, got, want string }{
		{"api key rotated", boolStr(a.APIKey == "rotated-key"), "true"},
		{"status", a.Status, store.StatusConnected},
		{"name kept", a.Name, "Acme"},
		{"webhook tokens replaced", strings.Join(a.WebhookTokens, ","), "tok-2,tok-3"},
		{"trigger stages kept", strings.Join(a.TriggerStages, ","), stageAssess},
		{"perform_as kept", a.PerformAs, userID},
		{"created at kept", a.CreatedAt.String(), first.CreatedAt.String()},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}

	if got := mustAccount(t, st, oauth.ID); !reflect.DeepEqual(got, before) {
		t.Errorf("OAuth account: got %v, want it untouched: %v", got, before)
	}
}

// TestApplyReplacesOAuthCredentialsOfDefault: an account "default" connected with OAuth earlier
// keeps one credential once the environment gives it a key.
func TestApplyReplacesOAuthCredentialsOfDefault(t *testing.T) {
	_, url := leverWithKey(t)
	st := newStore(t)
	ctx := context.Background()
	if err := st.PutAccount(ctx, store.Account{ID: config.EnvAccountID, AccessToken: "a", RefreshToken: "r", PerformAs: "user-sam"}); err != nil {
		t.Fatal(err)
	}
	cfg := loadConfig(t, map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": apiKey, "ASSESSBRIDGE_LEVER_API_URL": url})
	if err := envaccount.Apply(ctx, cfg, st, newLever); err != nil {
		t.Fatal(err)
	}
	a := mustAccount(t, st, config.EnvAccountID)
	if a.AccessToken != "" || a.RefreshToken != "" || a.APIKey != apiKey || a.PerformAs != "user-sam" {
		t.Errorf("got access %q refresh %q key set %v perform_as %q, want only the key, perform_as kept",
			a.AccessToken, a.RefreshToken, a.APIKey == apiKey, a.PerformAs)
	}
}

func mustAccount(t *testing.T, st *store.Store, id string) store.Account {
	t.Helper()
	a, err := st.Account(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
