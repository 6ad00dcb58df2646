package envaccount_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/envaccount"
	"github.com/assessbridge/assessbridge/service"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
)

// TestStartUpCatalogue: at start the environment account's catalogue becomes the platform's list;
// a platform that refuses the key fails start-up with a message naming the variables, one that is
// down leaves the stored catalogue and lets start-up go on.
func TestStartUpCatalogue(t *testing.T) {
	tests := []struct {
		name        string
		platformKey string // what the environment says
		platformUp  bool
		wantErr     []string
		wantTitles  []string
	}{
		{name: "listed", platformKey: platformKey, platformUp: true, wantTitles: []string{"Go Test", "SQL Test"}},
		{name: "key refused", platformKey: "wrong-key", platformUp: true,
			wantErr: []string{"ASSESSBRIDGE_PLATFORM_API_KEY", "401"}, wantTitles: []string{"Old Test"}},
		{name: "platform down", platformKey: platformKey, platformUp: false, wantTitles: []string{"Old Test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			_, leverURL := leverWithKey(t)
			ps := platformsim.New(platformsim.Options{APIKey: platformKey})
			ps.AddAssessment("as-sql", "SQL Test")
			ps.AddAssessment("as-go", "Go Test")
			psrv := httptest.NewServer(ps)
			if !tt.platformUp {
				psrv.Close()
			}
			t.Cleanup(psrv.Close)
			st := newStore(t)
			// An earlier start stored a catalogue.
			if err := st.PutAccount(ctx, store.Account{ID: config.EnvAccountID}); err != nil {
				t.Fatal(err)
			}
			if err := st.PutAssessment(ctx, config.EnvAccountID, store.Assessment{ID: "as-old", Title: "Old Test"}); err != nil {
				t.Fatal(err)
			}
			cfg := loadConfig(t, map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": apiKey, "ASSESSBRIDGE_LEVER_API_URL": leverURL,
				"ASSESSBRIDGE_PLATFORM_URL": psrv.URL, "ASSESSBRIDGE_PLATFORM_API_KEY": tt.platformKey})

			err := service.ApplyEnvAccount(ctx, cfg, st, nil, zap.NewNop())
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("start: got %v, want no error", err)
			case tt.wantErr != nil && err == nil:
				t.Fatalf("start: got no error, want one naming %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to name %q", err, w)
				}
			}
			if err != nil && strings.Contains(err.Error(), tt.platformKey) {
				t.Errorf("got error %q, want it without the key", err)
			}
			list, err := st.Assessments(ctx, config.EnvAccountID)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, a := range list {
				titles = append(titles, a.Title)
			}
			if !slices.Equal(titles, tt.wantTitles) {
				t.Errorf("catalogue: got %q, want %q", titles, tt.wantTitles)
			}
		})
	}
}

type catalogue []assessment.Assessment

func (c catalogue) ListAssessments(context.Context) ([]assessment.Assessment, error) { return c, nil }

func TestSyncCatalogueSkipsIncompleteEntries(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.PutAccount(ctx, store.Account{ID: config.EnvAccountID}); err != nil {
		t.Fatal(err)
	}
	n, err := envaccount.SyncCatalogue(ctx, st, catalogue{{ID: "as-1", Title: "One"}, {ID: "", Title: "No id"}, {ID: "as-3"}})
	if err != nil || n != 1 {
		t.Fatalf("sync: got %d, %v, want 1, nil", n, err)
	}
}

func TestGaps(t *testing.T) {
	tests := []struct {
		name string
		acct store.Account
		want []string
	}{
		{"complete", store.Account{WebhookTokens: []string{"t"}, TriggerStages: []string{"s"}, PerformAs: "u"}, nil},
		{"nothing but the key", store.Account{APIKey: "k"}, []string{"ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS", "ASSESSBRIDGE_TRIGGER_STAGES", "ASSESSBRIDGE_PERFORM_AS"}},
		{"no perform_as", store.Account{WebhookTokens: []string{"t"}, TriggerStages: []string{"s"}}, []string{"ASSESSBRIDGE_PERFORM_AS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gaps := envaccount.Gaps(tt.acct)
			if len(gaps) != len(tt.want) {
				t.Fatalf("gaps: got %q, want %d naming %q", gaps, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(gaps[i], w) {
					t.Errorf("gap %d: got %q, want it to name %s", i, gaps[i], w)
				}
			}
		})
	}
}
