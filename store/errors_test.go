package store

import (
	"errors"
	"testing"
)

// errAny in a test table means "some error, whichever".
var errAny = errors.New("any error")

func checkErr(t *testing.T, got, want error) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("error: got %v, want nil", got)
	case want == errAny && got == nil:
		t.Errorf("error: got nil, want an error")
	case want != nil && want != errAny && !errors.Is(got, want):
		t.Errorf("error: got %v, want %v", got, want)
	}
}

func mustDo(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: got error %v, want nil", what, err)
	}
}
