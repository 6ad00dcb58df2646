package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelp: -h and --help on the starter and each subcommand print that command's own usage and
// succeed with an empty environment; a subcommand's usage lists its flags, not another's.
func TestHelp(t *testing.T) {
	tests := []struct {
		args          []string
		want, notWant string
	}{
		{[]string{"-h"}, "usage: starter [command]", ""},
		{[]string{"--help"}, "setup", ""},
		{[]string{"setup", "-h"}, "usage: starter setup", "-account"},
		{[]string{"backfill", "-h"}, "usage: starter backfill", "-opportunity"},
		{[]string{"backfill", "--help"}, "-apply", "-retention"},
		{[]string{"purge", "-h"}, "usage: starter purge", "-apply"},
		{[]string{"healthcheck", "-h"}, "usage: starter healthcheck", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out strings.Builder
			if err := realMain(context.Background(), tt.args, nil, &out); err != nil {
				t.Fatalf("got %v, want success", err)
			}
			if !strings.Contains(out.String(), tt.want) || (tt.notWant != "" && strings.Contains(out.String(), tt.notWant)) {
				t.Errorf("usage: got %q, want it to contain %q and not %q", out.String(), tt.want, tt.notWant)
			}
		})
	}
}

// TestMissingSettingsNamed: what a command lacks is named by its variable and, against a dev
// data directory, by the file that holds it there.
func TestMissingSettingsNamed(t *testing.T) {
	dev := t.TempDir() // what dev leaves in its data directory
	for _, f := range []string{"secret.key", "history.keys"} {
		if err := os.WriteFile(filepath.Join(dev, f), []byte("x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		args    []string
		environ []string
		want    []string
	}{
		{"front door", nil, nil, []string{"ASSESSBRIDGE_SECRET_KEY", "ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET"}},
		{"backfill without an account", []string{"backfill"}, nil, []string{"--account is required"}},
		{"backfill against a dev data directory", []string{"backfill", "--account", "demo"}, []string{"ASSESSBRIDGE_DATA_DIR=" + dev},
			[]string{"ASSESSBRIDGE_SECRET_KEY", filepath.Join(dev, "secret.key"), "ASSESSBRIDGE_HISTORY_KEYS", filepath.Join(dev, "history.keys")}},
		{"backfill elsewhere", []string{"backfill", "--account", "demo"}, []string{"ASSESSBRIDGE_DATA_DIR=" + t.TempDir()},
			[]string{"missing ASSESSBRIDGE_SECRET_KEY"}},
		{"purge against a dev data directory", []string{"purge", "--account", "demo", "--opportunity", "o"}, []string{"ASSESSBRIDGE_DATA_DIR=" + dev},
			[]string{"ASSESSBRIDGE_HISTORY_KEYS", filepath.Join(dev, "history.keys")}},
		{"unknown command", []string{"nope"}, nil, []string{`unknown command "nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := realMain(context.Background(), tt.args, tt.environ, &strings.Builder{})
			for _, want := range tt.want {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v, want an error containing %q", err, want)
				}
			}
		})
	}
}
