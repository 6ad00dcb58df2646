package store

import (
	"context"
	"slices"
	"testing"
)

func TestPostingMappings(t *testing.T) {
	tests := []struct {
		name     string
		op       func(ctx context.Context, s *Store) error
		wantErr  error
		lookup   string // posting looked up with AssessmentForPosting
		wantID   string
		wantFind error
		wantAll  []PostingMapping
	}{
		{
			name:    "map",
			op:      func(ctx context.Context, s *Store) error { return s.MapPosting(ctx, "acme", "post-1", "as-1") },
			lookup:  "post-1",
			wantID:  "as-1",
			wantAll: []PostingMapping{{"post-1", "as-1"}},
		},
		{
			name: "remap replaces",
			op: func(ctx context.Context, s *Store) error {
				if err := s.MapPosting(ctx, "acme", "post-1", "as-1"); err != nil {
					return err
				}
				return s.MapPosting(ctx, "acme", "post-1", "as-2")
			},
			lookup:  "post-1",
			wantID:  "as-2",
			wantAll: []PostingMapping{{"post-1", "as-2"}},
		},
		{
			name: "ordered by posting id",
			op: func(ctx context.Context, s *Store) error {
				for _, p := range []string{"p-c", "P-z", "p-a"} {
					if err := s.MapPosting(ctx, "acme", p, "as-"+p); err != nil {
						return err
					}
				}
				return nil
			},
			lookup:  "p-a",
			wantID:  "as-p-a",
			wantAll: []PostingMapping{{"P-z", "as-P-z"}, {"p-a", "as-p-a"}, {"p-c", "as-p-c"}},
		},
		{
			name: "unmap",
			op: func(ctx context.Context, s *Store) error {
				if err := s.MapPosting(ctx, "acme", "post-1", "as-1"); err != nil {
					return err
				}
				return s.UnmapPosting(ctx, "acme", "post-1")
			},
			lookup:   "post-1",
			wantFind: ErrNotFound,
			wantAll:  []PostingMapping{},
		},
		{
			name:     "unmap absent is fine",
			op:       func(ctx context.Context, s *Store) error { return s.UnmapPosting(ctx, "acme", "never") },
			lookup:   "never",
			wantFind: ErrNotFound,
			wantAll:  []PostingMapping{},
		},
		{
			name:     "other account's mapping is invisible",
			op:       func(ctx context.Context, s *Store) error { return s.MapPosting(ctx, "other", "post-1", "as-1") },
			lookup:   "post-1",
			wantFind: ErrNotFound,
			wantAll:  []PostingMapping{},
		},
		{
			name:     "unknown account",
			op:       func(ctx context.Context, s *Store) error { return s.MapPosting(ctx, "nobody", "post-1", "as-1") },
			wantErr:  ErrNotFound,
			lookup:   "post-1",
			wantFind: ErrNotFound,
			wantAll:  []PostingMapping{},
		},
		{
			name:     "empty assessment id",
			op:       func(ctx context.Context, s *Store) error { return s.MapPosting(ctx, "acme", "post-1", "") },
			wantErr:  errAny,
			lookup:   "post-1",
			wantFind: ErrNotFound,
			wantAll:  []PostingMapping{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, s *Store) {
				ctx := context.Background()
				putAccount(t, s, "acme")
				putAccount(t, s, "other")
				checkErr(t, tt.op(ctx, s), tt.wantErr)
				id, err := s.AssessmentForPosting(ctx, "acme", tt.lookup)
				checkErr(t, err, tt.wantFind)
				if id != tt.wantID {
					t.Errorf("AssessmentForPosting(%q): got %q, want %q", tt.lookup, id, tt.wantID)
				}
				all, err := s.PostingMappings(ctx, "acme")
				mustDo(t, "PostingMappings", err)
				if all == nil || !slices.Equal(all, tt.wantAll) {
					t.Errorf("PostingMappings: got %v, want %v", all, tt.wantAll)
				}
			})
		})
	}
}
