package main

import (
	"context"
	"strings"
	"testing"
)

// TestHelp: -h and --help print dev's usage with its flags and succeed with an empty environment,
// or with a malformed one.
func TestHelp(t *testing.T) {
	tests := []struct {
		args    []string
		environ []string
	}{
		{[]string{"-h"}, nil},
		{[]string{"--help"}, nil},
		{[]string{"-h"}, []string{"ASSESSBRIDGE_LOG_LEVEL=loud"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append(tt.args, tt.environ...), " "), func(t *testing.T) {
			var out strings.Builder
			if err := realMain(context.Background(), tt.args, tt.environ, &out); err != nil {
				t.Fatalf("got %v, want success", err)
			}
			for _, want := range []string{"usage: dev", "-sims-only", "-temporal-port"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("usage: got %q, want it to contain %q", out.String(), want)
				}
			}
		})
	}
}
