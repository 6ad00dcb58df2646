package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(100-i) * time.Millisecond // unsorted on purpose
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{
		{50, 50 * time.Millisecond},
		{99, 99 * time.Millisecond},
		{100, 100 * time.Millisecond},
		{1, time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(ds, tt.p); got != tt.want {
			t.Errorf("p%v: got %s, want %s", tt.p, got, tt.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of none: got %s, want 0", got)
	}
}

func TestParallel(t *testing.T) {
	boom := errors.New("boom")
	out := parallel(context.Background(), 10, 3, func(_ context.Context, i int) error {
		if i%5 == 0 {
			return boom
		}
		return nil
	})
	if out.ok() != 8 || out.errors != 2 || !errors.Is(out.firstErr, boom) {
		t.Errorf("got %d ok, %d errors (%v), want 8 ok, 2 errors (boom)", out.ok(), out.errors, out.firstErr)
	}
	both := merge(out, out)
	if both.ok() != 16 || both.errors != 4 || both.elapsed != 2*out.elapsed {
		t.Errorf("merge: got %d ok, %d errors, %s, want 16, 4, %s", both.ok(), both.errors, both.elapsed, 2*out.elapsed)
	}
}
