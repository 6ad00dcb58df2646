package lever

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/oauth2"
)

type failingSource struct{ err error }

func (f failingSource) Token() (*oauth2.Token, error) { return nil, f.err }

func TestTokenSourceErrors(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		revoked   bool
		retryable bool
	}{
		{"store briefly down", errors.New("database is locked"), false, true},
		{"source reports revocation", fmt.Errorf("refresh: %w", ErrAccessRevoked), true, false},
		{"invalid_grant", &oauth2.RetrieveError{ErrorCode: "invalid_grant"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New("http://127.0.0.1:1", WithTokenSource(failingSource{tt.err}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListStages(t.Context())
			if errors.Is(err, ErrAccessRevoked) != tt.revoked || IsRetryable(err) != tt.retryable {
				t.Errorf("got %v (revoked %v, retryable %v), want revoked %v, retryable %v",
					err, errors.Is(err, ErrAccessRevoked), IsRetryable(err), tt.revoked, tt.retryable)
			}
		})
	}
}
