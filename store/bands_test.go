package store

import (
	"context"
	"math"
	"slices"
	"testing"
)

func TestRatingBands(t *testing.T) {
	defaults := []Band{{0, 1, "Strong No Hire"}, {35, 2, "No Hire"}, {50, 3, "Hire"}, {75, 4, "Strong Hire"}}
	tests := []struct {
		name    string
		account string
		sets    [][]Band // applied in order; only the last may fail
		wantErr error
		want    []Band
	}{
		{name: "none set", account: "acme", want: []Band{}},
		{name: "set", account: "acme", sets: [][]Band{defaults}, want: defaults},
		{
			name: "ordered by min percent", account: "acme",
			sets: [][]Band{{{75, 4, "Strong Hire"}, {0, 1, "Strong No Hire"}, {50, 3, "Hire"}, {35, 2, "No Hire"}}},
			want: defaults,
		},
		{
			name: "fractional bounds", account: "acme",
			sets: [][]Band{{{0, 1, "low"}, {33.5, 2, "mid"}, {66.67, 3, "high"}}},
			want: []Band{{0, 1, "low"}, {33.5, 2, "mid"}, {66.67, 3, "high"}},
		},
		{
			name: "replace all", account: "acme",
			sets: [][]Band{defaults, {{0, 1, "No"}, {60, 4, "Yes"}}},
			want: []Band{{0, 1, "No"}, {60, 4, "Yes"}},
		},
		{name: "clear", account: "acme", sets: [][]Band{defaults, nil}, want: []Band{}},
		{
			name: "duplicate min percent keeps old bands", account: "acme",
			sets:    [][]Band{defaults, {{0, 1, "a"}, {50, 2, "b"}, {50, 3, "c"}}},
			wantErr: errAny, want: defaults,
		},
		{
			name: "min percent above 100", account: "acme",
			sets: [][]Band{{{0, 1, "a"}, {101, 2, "b"}}}, wantErr: errAny, want: []Band{},
		},
		{
			name: "NaN min percent", account: "acme",
			sets: [][]Band{{{math.NaN(), 1, "a"}}}, wantErr: errAny, want: []Band{},
		},
		{name: "unknown account", account: "nobody", sets: [][]Band{defaults}, wantErr: ErrNotFound, want: []Band{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, s *Store) {
				ctx := context.Background()
				putAccount(t, s, "acme")
				var err error
				for _, bands := range tt.sets {
					err = s.SetRatingBands(ctx, tt.account, bands)
				}
				checkErr(t, err, tt.wantErr)
				got, err := s.RatingBands(ctx, tt.account)
				mustDo(t, "RatingBands", err)
				if got == nil || !slices.Equal(got, tt.want) {
					t.Errorf("RatingBands: got %v, want %v", got, tt.want)
				}
			})
		})
	}
}
