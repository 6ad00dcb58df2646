package store

import (
	"context"
	"errors"
	"testing"
)

func TestPostingSettings(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		putAccount(t, s, "acme")
		putAccount(t, s, "other")
		if _, err := s.PostingSettings(ctx, "acme", "post-1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("PostingSettings before any: got %v, want ErrNotFound", err)
		}
		puts := []PostingSettings{
			{AccountID: "acme", PostingID: "post-b", PassThreshold: pctPtr(75.0)},
			{AccountID: "acme", PostingID: "post-a", ArchiveBelow: pctPtr(0.0)},
			{AccountID: "acme", PostingID: "post-c", PassThreshold: pctPtr(50.0), ArchiveBelow: pctPtr(20.5)},
			{AccountID: "other", PostingID: "post-a", PassThreshold: pctPtr(10.0)},
		}
		for _, p := range puts {
			mustDo(t, "PutPostingSettings "+p.PostingID, s.PutPostingSettings(ctx, p))
		}
		// Replacing one changes both fields, a nil one included.
		mustDo(t, "replace", s.PutPostingSettings(ctx, PostingSettings{AccountID: "acme", PostingID: "post-c", ArchiveBelow: pctPtr(25.0)}))
		got, err := s.PostingSettings(ctx, "acme", "post-c")
		mustDo(t, "PostingSettings", err)
		checkPosting(t, got, PostingSettings{AccountID: "acme", PostingID: "post-c", ArchiveBelow: pctPtr(25.0)})

		list, err := s.ListPostingSettings(ctx, "acme")
		mustDo(t, "ListPostingSettings", err)
		want := []PostingSettings{puts[1], puts[0], {AccountID: "acme", PostingID: "post-c", ArchiveBelow: pctPtr(25.0)}}
		if len(list) != len(want) {
			t.Fatalf("ListPostingSettings: got %d, want %d", len(list), len(want))
		}
		for i := range want {
			checkPosting(t, list[i], want[i])
		}

		// Both nil removes the row; removing an absent one is fine.
		mustDo(t, "clear", s.PutPostingSettings(ctx, PostingSettings{AccountID: "acme", PostingID: "post-b"}))
		mustDo(t, "clear absent", s.PutPostingSettings(ctx, PostingSettings{AccountID: "acme", PostingID: "post-zzz"}))
		if _, err := s.PostingSettings(ctx, "acme", "post-b"); !errors.Is(err, ErrNotFound) {
			t.Errorf("after clearing: got %v, want ErrNotFound", err)
		}

		mustDo(t, "DeleteAccount", s.DeleteAccount(ctx, "acme"))
		if list, _ := s.ListPostingSettings(ctx, "acme"); len(list) != 0 {
			t.Errorf("after deleting the account: got %d posting settings, want 0", len(list))
		}
		if list, _ := s.ListPostingSettings(ctx, "other"); len(list) != 1 {
			t.Errorf("other account: got %d posting settings, want 1", len(list))
		}
	})
}

func TestPutPostingSettingsErrors(t *testing.T) {
	tests := []struct {
		name    string
		p       PostingSettings
		wantErr error
	}{
		{"unknown account", PostingSettings{AccountID: "nobody", PostingID: "p", PassThreshold: pctPtr(50.0)}, ErrNotFound},
		{"no posting", PostingSettings{AccountID: "acme", PassThreshold: pctPtr(50.0)}, errAny},
		{"pass above 100", PostingSettings{AccountID: "acme", PostingID: "p", PassThreshold: pctPtr(100.01)}, errAny},
		{"archive negative", PostingSettings{AccountID: "acme", PostingID: "p", ArchiveBelow: pctPtr(-1.0)}, errAny},
	}
	eachStore(t, func(t *testing.T, s *Store) {
		putAccount(t, s, "acme")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				checkErr(t, s.PutPostingSettings(context.Background(), tt.p), tt.wantErr)
			})
		}
		if list, _ := s.ListPostingSettings(context.Background(), "acme"); len(list) != 0 {
			t.Errorf("after rejected writes: got %d posting settings, want 0", len(list))
		}
	})
}

func checkPosting(t *testing.T, got, want PostingSettings) {
	t.Helper()
	if got.AccountID != want.AccountID || got.PostingID != want.PostingID ||
		!samePtr(got.PassThreshold, want.PassThreshold) || !samePtr(got.ArchiveBelow, want.ArchiveBelow) {
		t.Errorf("posting settings: got %s/%s pass %v archive %v, want %s/%s pass %v archive %v",
			got.AccountID, got.PostingID, showPtr(got.PassThreshold), showPtr(got.ArchiveBelow),
			want.AccountID, want.PostingID, showPtr(want.PassThreshold), showPtr(want.ArchiveBelow))
	}
}
