package main

import (
	"context"
	"strings"
	"testing"
)

// TestHelp: -h and --help print the command's own usage and succeed with an empty environment.
func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-h"}, "usage: worker"},
		{[]string{"--help"}, "usage: worker"},
		{[]string{"healthcheck", "-h"}, "usage: worker healthcheck"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out strings.Builder
			if err := realMain(context.Background(), tt.args, nil, &out); err != nil {
				t.Fatalf("got %v, want success", err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("usage: got %q, want it to contain %q", out.String(), tt.want)
			}
		})
	}
}

// TestMissingSettingsNamed: without the environment, the worker names each variable it needs.
func TestMissingSettingsNamed(t *testing.T) {
	err := realMain(context.Background(), nil, nil, &strings.Builder{})
	for _, want := range []string{"ASSESSBRIDGE_SECRET_KEY", "ASSESSBRIDGE_PLATFORM_URL", "ASSESSBRIDGE_PLATFORM_API_KEY"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want an error naming %s", err, want)
		}
	}
}
