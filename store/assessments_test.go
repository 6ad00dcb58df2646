package store

import (
	"context"
	"slices"
	"testing"
)

// Choosing by title (case, duplicates) is the catalogue package's; the store finds by id.
func TestAssessmentLookups(t *testing.T) {
	catalogue := []Assessment{
		{ID: "as-3", Title: "Go Backend"},
		{ID: "as-1", Title: "Algorithms"},
	}
	tests := []struct {
		name    string
		account string
		byID    string
		want    Assessment
		wantErr error
	}{
		{name: "id", account: "acme", byID: "as-1", want: Assessment{ID: "as-1", Title: "Algorithms"}},
		{name: "unknown id", account: "acme", byID: "as-9", wantErr: ErrNotFound},
		{name: "id of other account", account: "other", byID: "as-1", wantErr: ErrNotFound},
		{name: "unknown account", account: "nobody", byID: "as-1", wantErr: ErrNotFound},
	}
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		putAccount(t, s, "acme")
		putAccount(t, s, "other")
		for _, a := range catalogue {
			mustDo(t, "PutAssessment", s.PutAssessment(ctx, "acme", a))
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.AssessmentByID(ctx, tt.account, tt.byID)
				checkErr(t, err, tt.wantErr)
				if got != tt.want {
					t.Errorf("assessment: got %+v, want %+v", got, tt.want)
				}
			})
		}
	})
}

func TestAssessmentsCatalogue(t *testing.T) {
	tests := []struct {
		name    string
		op      func(ctx context.Context, s *Store) error
		wantErr error
		want    []Assessment
	}{
		{
			name: "ordered by title then id",
			op: func(ctx context.Context, s *Store) error {
				for _, a := range []Assessment{{"b", "SQL"}, {"c", "Algorithms"}, {"a", "SQL"}, {"d", "algorithms"}} {
					if err := s.PutAssessment(ctx, "acme", a); err != nil {
						return err
					}
				}
				return nil
			},
			want: []Assessment{{"c", "Algorithms"}, {"a", "SQL"}, {"b", "SQL"}, {"d", "algorithms"}},
		},
		{
			name: "put renames",
			op: func(ctx context.Context, s *Store) error {
				if err := s.PutAssessment(ctx, "acme", Assessment{"a", "Old"}); err != nil {
					return err
				}
				return s.PutAssessment(ctx, "acme", Assessment{"a", "New"})
			},
			want: []Assessment{{"a", "New"}},
		},
		{
			name: "replace drops what is gone",
			op: func(ctx context.Context, s *Store) error {
				if err := s.PutAssessment(ctx, "acme", Assessment{"gone", "Gone"}); err != nil {
					return err
				}
				return s.ReplaceAssessments(ctx, "acme", []Assessment{{"x", "X"}, {"y", "Y"}})
			},
			want: []Assessment{{"x", "X"}, {"y", "Y"}},
		},
		{
			name: "replace with nothing empties",
			op: func(ctx context.Context, s *Store) error {
				if err := s.PutAssessment(ctx, "acme", Assessment{"gone", "Gone"}); err != nil {
					return err
				}
				return s.ReplaceAssessments(ctx, "acme", nil)
			},
			want: []Assessment{},
		},
		{
			name:    "put for unknown account",
			op:      func(ctx context.Context, s *Store) error { return s.PutAssessment(ctx, "nobody", Assessment{"a", "A"}) },
			wantErr: ErrNotFound,
			want:    []Assessment{},
		},
		{
			name: "replace for unknown account",
			op: func(ctx context.Context, s *Store) error {
				return s.ReplaceAssessments(ctx, "nobody", []Assessment{{"a", "A"}})
			},
			wantErr: ErrNotFound,
			want:    []Assessment{},
		},
		{
			name:    "empty title",
			op:      func(ctx context.Context, s *Store) error { return s.PutAssessment(ctx, "acme", Assessment{ID: "a"}) },
			wantErr: errAny,
			want:    []Assessment{},
		},
		{
			name: "failed replace keeps the old catalogue",
			op: func(ctx context.Context, s *Store) error {
				if err := s.PutAssessment(ctx, "acme", Assessment{"keep", "Keep"}); err != nil {
					return err
				}
				return s.ReplaceAssessments(ctx, "acme", []Assessment{{"x", "X"}, {"", "no id"}})
			},
			wantErr: errAny,
			want:    []Assessment{{"keep", "Keep"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, s *Store) {
				ctx := context.Background()
				putAccount(t, s, "acme")
				checkErr(t, tt.op(ctx, s), tt.wantErr)
				got, err := s.Assessments(ctx, "acme")
				mustDo(t, "Assessments", err)
				if got == nil || !slices.Equal(got, tt.want) {
					t.Errorf("Assessments: got %v, want %v", got, tt.want)
				}
			})
		})
	}
}
