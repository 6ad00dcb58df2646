package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func fullAccount(id string) Account {
	return Account{
		ID:            id,
		Name:          "Acme Corp",
		Status:        StatusConnected,
		LeverBaseURL:  "https://api.sandbox.lever.co/v1",
		AccessToken:   "access-" + id,
		RefreshToken:  "refresh-" + id,
		TokenExpiry:   time.UnixMilli(1_900_000_000_123).UTC(),
		APIKey:        "apikey-" + id,
		WebhookTokens: []string{"hook-a-" + id, "hook-b-" + id},
		TriggerStages: []string{"stage-1", "stage-2"},
		PerformAs:     "user-9",

		CompletionStageID:   "stage-done",
		PassThreshold:       pctPtr(62.5),
		PassStageID:         "stage-pass",
		FailStageID:         "stage-fail",
		ArchiveBelow:        pctPtr(0.0), // set to zero is not off
		ArchiveReasonID:     "reason-underqualified",
		ArchiveGrace:        36 * time.Hour,
		UploadReport:        true,
		InviteOnApplication: true,
	}
}

func pctPtr(v float64) *float64 { return &v }

// samePtr: both nil, or both set to equal values.
func samePtr[T comparable](x, y *T) bool {
	return (x == nil) == (y == nil) && (x == nil || *x == *y)
}

func showPtr[T any](p *T) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// checkAccount compares every field but the timestamps the store sets.
func checkAccount(t *testing.T, got, want Account) {
	t.Helper()
	fields := []struct {
		name      string
		got, want any
		equal     bool
	}{
		{"ID", got.ID, want.ID, got.ID == want.ID},
		{"Name", got.Name, want.Name, got.Name == want.Name},
		{"Status", got.Status, want.Status, got.Status == want.Status},
		{"LeverBaseURL", got.LeverBaseURL, want.LeverBaseURL, got.LeverBaseURL == want.LeverBaseURL},
		{"AccessToken", got.AccessToken, want.AccessToken, got.AccessToken == want.AccessToken},
		{"RefreshToken", got.RefreshToken, want.RefreshToken, got.RefreshToken == want.RefreshToken},
		{"TokenExpiry", got.TokenExpiry, want.TokenExpiry, got.TokenExpiry.Equal(want.TokenExpiry)},
		{"APIKey", got.APIKey, want.APIKey, got.APIKey == want.APIKey},
		{"WebhookTokens", got.WebhookTokens, want.WebhookTokens, slices.Equal(got.WebhookTokens, want.WebhookTokens)},
		{"TriggerStages", got.TriggerStages, want.TriggerStages, slices.Equal(got.TriggerStages, want.TriggerStages)},
		{"PerformAs", got.PerformAs, want.PerformAs, got.PerformAs == want.PerformAs},
		{"CompletionStageID", got.CompletionStageID, want.CompletionStageID, got.CompletionStageID == want.CompletionStageID},
		{"PassThreshold", showPtr(got.PassThreshold), showPtr(want.PassThreshold), samePtr(got.PassThreshold, want.PassThreshold)},
		{"PassStageID", got.PassStageID, want.PassStageID, got.PassStageID == want.PassStageID},
		{"FailStageID", got.FailStageID, want.FailStageID, got.FailStageID == want.FailStageID},
		{"ArchiveBelow", showPtr(got.ArchiveBelow), showPtr(want.ArchiveBelow), samePtr(got.ArchiveBelow, want.ArchiveBelow)},
		{"ArchiveReasonID", got.ArchiveReasonID, want.ArchiveReasonID, got.ArchiveReasonID == want.ArchiveReasonID},
		{"ArchiveGrace", got.ArchiveGrace, want.ArchiveGrace, got.ArchiveGrace == want.ArchiveGrace},
		{"UploadReport", got.UploadReport, want.UploadReport, got.UploadReport == want.UploadReport},
		{"InviteOnApplication", got.InviteOnApplication, want.InviteOnApplication, got.InviteOnApplication == want.InviteOnApplication},
	}
	for _, f := range fields {
		if !f.equal {
			t.Errorf("account %q %s: got %v, want %v", want.ID, f.name, f.got, f.want)
		}
	}
}

func TestPutAccountRoundTrip(t *testing.T) {
	emptyLists := fullAccount("empty")
	emptyLists.WebhookTokens, emptyLists.TriggerStages = nil, nil
	oauthOnly := fullAccount("oauth")
	oauthOnly.APIKey = ""
	keyOnly := Account{ID: "selfhosted", Status: StatusConnected, APIKey: "k-123"}
	noStatus := Account{ID: "nostatus"}
	wantNoStatus := Account{ID: "nostatus", Status: StatusConnected}

	tests := []struct {
		name string
		put  Account
		want Account
	}{
		{"every field", fullAccount("acme"), fullAccount("acme")},
		{"empty lists", emptyLists, emptyLists},
		{"oauth without api key", oauthOnly, oauthOnly},
		{"api key only", keyOnly, keyOnly},
		{"empty status defaults to connected", noStatus, wantNoStatus},
		{"unicode name", Account{ID: "ü-1", Name: "Zürich AG ✓", Status: StatusDisconnected},
			Account{ID: "ü-1", Name: "Zürich AG ✓", Status: StatusDisconnected}},
	}
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := time.Now().Truncate(time.Millisecond)
				if err := s.PutAccount(ctx, tt.put); err != nil {
					t.Fatalf("PutAccount: got error %v, want nil", err)
				}
				got, err := s.Account(ctx, tt.put.ID)
				if err != nil {
					t.Fatalf("Account: got error %v, want nil", err)
				}
				checkAccount(t, got, tt.want)
				if got.CreatedAt.Before(before) || got.UpdatedAt.Before(before) {
					t.Errorf("timestamps: got created %v updated %v, want both at or after %v", got.CreatedAt, got.UpdatedAt, before)
				}
			})
		}
	})
}

func TestPutAccountUpdatesEveryField(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		first := fullAccount("acme")
		first.CreatedAt = time.UnixMilli(1_700_000_000_000).UTC()
		if err := s.PutAccount(ctx, first); err != nil {
			t.Fatalf("PutAccount: got error %v, want nil", err)
		}
		second := Account{
			ID:            "acme",
			Name:          "Acme Renamed",
			Status:        StatusDisconnected,
			LeverBaseURL:  "",
			AccessToken:   "access-2",
			RefreshToken:  "",
			TokenExpiry:   time.Time{},
			APIKey:        "",
			WebhookTokens: []string{"hook-z"},
			TriggerStages: nil,
			PerformAs:     "user-2",
			CreatedAt:     time.UnixMilli(1_800_000_000_000).UTC(), // ignored on update
		}
		if err := s.PutAccount(ctx, second); err != nil {
			t.Fatalf("PutAccount again: got error %v, want nil", err)
		}
		got, err := s.Account(ctx, "acme")
		if err != nil {
			t.Fatalf("Account: got error %v, want nil", err)
		}
		checkAccount(t, got, second)
		if !got.CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("CreatedAt: got %v, want %v (kept from the first insert)", got.CreatedAt, first.CreatedAt)
		}
		if !got.UpdatedAt.After(first.CreatedAt) {
			t.Errorf("UpdatedAt: got %v, want after %v", got.UpdatedAt, first.CreatedAt)
		}
	})
}

func TestAccountsOrderedByID(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		got, err := s.Accounts(ctx)
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("Accounts on empty store: got %v, %v, want empty non-nil slice, nil", got, err)
		}
		for _, id := range []string{"beta", "Zulu", "alpha", "acme-2", "acme"} {
			if err := s.PutAccount(ctx, fullAccount(id)); err != nil {
				t.Fatalf("PutAccount(%q): got error %v, want nil", id, err)
			}
		}
		got, err = s.Accounts(ctx)
		if err != nil {
			t.Fatalf("Accounts: got error %v, want nil", err)
		}
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
			checkAccount(t, a, fullAccount(a.ID))
		}
		want := []string{"Zulu", "acme", "acme-2", "alpha", "beta"} // byte order on every dialect
		if !slices.Equal(ids, want) {
			t.Errorf("Accounts ids: got %v, want %v", ids, want)
		}
	})
}

func TestSaveTokensAndSetStatus(t *testing.T) {
	expiry := time.UnixMilli(2_000_000_000_000).UTC()
	tests := []struct {
		name       string
		op         func(ctx context.Context, s *Store) error
		wantErr    error // nil: success; errAny: some error
		wantAccess string
		wantStatus string
	}{
		{
			name: "save tokens replaces the triple",
			op: func(ctx context.Context, s *Store) error {
				return s.SaveTokens(ctx, "acme", "new-access", "new-refresh", expiry)
			},
			wantAccess: "new-access", wantStatus: StatusConnected,
		},
		{
			name:    "save tokens for unknown account",
			op:      func(ctx context.Context, s *Store) error { return s.SaveTokens(ctx, "nobody", "a", "r", expiry) },
			wantErr: ErrNotFound, wantAccess: "access-acme", wantStatus: StatusConnected,
		},
		{
			name:       "set status disconnected",
			op:         func(ctx context.Context, s *Store) error { return s.SetStatus(ctx, "acme", StatusDisconnected) },
			wantAccess: "access-acme", wantStatus: StatusDisconnected,
		},
		{
			name:    "set status for unknown account",
			op:      func(ctx context.Context, s *Store) error { return s.SetStatus(ctx, "nobody", StatusConnected) },
			wantErr: ErrNotFound, wantAccess: "access-acme", wantStatus: StatusConnected,
		},
		{
			name:    "set unknown status",
			op:      func(ctx context.Context, s *Store) error { return s.SetStatus(ctx, "acme", "paused") },
			wantErr: errAny, wantAccess: "access-acme", wantStatus: StatusConnected,
		},
	}
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := s.PutAccount(ctx, fullAccount("acme")); err != nil {
					t.Fatalf("PutAccount: got error %v, want nil", err)
				}
				err := tt.op(ctx, s)
				checkErr(t, err, tt.wantErr)
				got, err := s.Account(ctx, "acme")
				if err != nil {
					t.Fatalf("Account: got error %v, want nil", err)
				}
				if got.AccessToken != tt.wantAccess || got.Status != tt.wantStatus {
					t.Errorf("after op: got access %q status %q, want %q %q", got.AccessToken, got.Status, tt.wantAccess, tt.wantStatus)
				}
				if tt.wantAccess == "new-access" {
					if got.RefreshToken != "new-refresh" || !got.TokenExpiry.Equal(expiry) {
						t.Errorf("after SaveTokens: got refresh %q expiry %v, want %q %v", got.RefreshToken, got.TokenExpiry, "new-refresh", expiry)
					}
					checkAccount(t, Account{ID: got.ID, Name: got.Name, APIKey: got.APIKey, WebhookTokens: got.WebhookTokens},
						Account{ID: "acme", Name: "Acme Corp", APIKey: "apikey-acme", WebhookTokens: fullAccount("acme").WebhookTokens})
				}
			})
		}
	})
}

func TestAccountErrors(t *testing.T) {
	tests := []struct {
		name    string
		op      func(ctx context.Context, s *Store) error
		wantErr error
	}{
		{"unknown account", func(ctx context.Context, s *Store) error { _, err := s.Account(ctx, "nobody"); return err }, ErrNotFound},
		{"empty id", func(ctx context.Context, s *Store) error { return s.PutAccount(ctx, Account{Name: "x"}) }, errAny},
		{"bad status", func(ctx context.Context, s *Store) error {
			return s.PutAccount(ctx, Account{ID: "x", Status: "Connected"})
		}, errAny},
		{"delete unknown account", func(ctx context.Context, s *Store) error { return s.DeleteAccount(ctx, "nobody") }, nil},
	}
	eachStore(t, func(t *testing.T, s *Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				checkErr(t, tt.op(context.Background(), s), tt.wantErr)
			})
		}
	})
}

func TestDeleteAccountRemovesEverything(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, id := range []string{"acme", "other"} {
			putAccount(t, s, id)
			mustDo(t, "PutAssessment", s.PutAssessment(ctx, id, Assessment{ID: "as-1", Title: "Go"}))
			mustDo(t, "MapPosting", s.MapPosting(ctx, id, "post-1", "as-1"))
			mustDo(t, "SetRatingBands", s.SetRatingBands(ctx, id, []Band{{MinPercent: 0, Rating: 1}}))
		}
		mustDo(t, "DeleteAccount", s.DeleteAccount(ctx, "acme"))

		if _, err := s.Account(ctx, "acme"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Account after delete: got error %v, want ErrNotFound", err)
		}
		for _, id := range []string{"acme", "other"} {
			want := 0
			if id == "other" {
				want = 1
			}
			as, err := s.Assessments(ctx, id)
			mustDo(t, "Assessments", err)
			ms, err := s.PostingMappings(ctx, id)
			mustDo(t, "PostingMappings", err)
			bs, err := s.RatingBands(ctx, id)
			mustDo(t, "RatingBands", err)
			if len(as) != want || len(ms) != want || len(bs) != want {
				t.Errorf("account %q rows: got %d assessments, %d mappings, %d bands, want %d each", id, len(as), len(ms), len(bs), want)
			}
		}
		// Re-creating the id starts clean rather than inheriting old rows.
		putAccount(t, s, "acme")
		if _, err := s.AssessmentForPosting(ctx, "acme", "post-1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("mapping after re-create: got error %v, want ErrNotFound", err)
		}
	})
}

func TestAccountStringRedactsSecrets(t *testing.T) {
	a := fullAccount("acme")
	for _, format := range []string{"%v", "%+v", "%s", "%#v"} {
		out := fmt.Sprintf(format, a)
		for _, secret := range []string{a.AccessToken, a.RefreshToken, a.APIKey, a.WebhookTokens[0]} {
			if strings.Contains(out, secret) {
				t.Errorf("fmt %s: got output containing a secret, want it redacted", format)
			}
		}
		if !strings.Contains(out, "acme") {
			t.Errorf("fmt %s: got %q, want it to name the account", format, out)
		}
	}
}
