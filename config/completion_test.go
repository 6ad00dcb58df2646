package config

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLoadCompletion(t *testing.T) {
	withKey := func(m map[string]string) map[string]string {
		m["ASSESSBRIDGE_LEVER_API_KEY"] = "key123"
		return m
	}
	pct := func(p float64) *float64 { return &p }
	tests := []struct {
		name string
		env  map[string]string
		want Completion
	}{
		{name: "nothing set keeps everything", env: withKey(map[string]string{}), want: Completion{}},
		{
			name: "every variable",
			env: withKey(map[string]string{
				"ASSESSBRIDGE_COMPLETION_STAGE": "Assessment done", "ASSESSBRIDGE_PASS_THRESHOLD": "70",
				"ASSESSBRIDGE_PASS_STAGE": "On-site", "ASSESSBRIDGE_FAIL_STAGE": "stage-id-9",
				"ASSESSBRIDGE_ARCHIVE_BELOW": " 30.5% ", "ASSESSBRIDGE_ARCHIVE_REASON": "Underqualified",
				"ASSESSBRIDGE_ARCHIVE_GRACE": "48h", "ASSESSBRIDGE_UPLOAD_REPORT": "true",
				"ASSESSBRIDGE_INVITE_ON_APPLICATION": "yes",
			}),
			want: Completion{
				Stage: Setting[string]{true, "Assessment done"}, PassThreshold: Setting[*float64]{true, pct(70)},
				PassStage: Setting[string]{true, "On-site"}, FailStage: Setting[string]{true, "stage-id-9"},
				ArchiveBelow: Setting[*float64]{true, pct(30.5)}, ArchiveReason: Setting[string]{true, "Underqualified"},
				ArchiveGrace: Setting[time.Duration]{true, 48 * time.Hour}, UploadReport: Setting[bool]{true, true},
				InviteOnApplication: Setting[bool]{true, true},
			},
		},
		{
			name: "off turns each off",
			env: withKey(map[string]string{
				"ASSESSBRIDGE_COMPLETION_STAGE": "off", "ASSESSBRIDGE_PASS_THRESHOLD": "OFF",
				"ASSESSBRIDGE_PASS_STAGE": "off", "ASSESSBRIDGE_FAIL_STAGE": "off",
				"ASSESSBRIDGE_ARCHIVE_BELOW": "off", "ASSESSBRIDGE_ARCHIVE_REASON": "off",
				"ASSESSBRIDGE_ARCHIVE_GRACE": "default", "ASSESSBRIDGE_UPLOAD_REPORT": "off",
				"ASSESSBRIDGE_INVITE_ON_APPLICATION": "false",
			}),
			want: Completion{
				Stage: Setting[string]{Set: true}, PassThreshold: Setting[*float64]{Set: true},
				PassStage: Setting[string]{Set: true}, FailStage: Setting[string]{Set: true},
				ArchiveBelow: Setting[*float64]{Set: true}, ArchiveReason: Setting[string]{Set: true},
				ArchiveGrace: Setting[time.Duration]{Set: true}, UploadReport: Setting[bool]{Set: true},
				InviteOnApplication: Setting[bool]{Set: true},
			},
		},
		{
			name: "zero threshold is set, not off",
			env:  withKey(map[string]string{"ASSESSBRIDGE_ARCHIVE_BELOW": "0"}),
			want: Completion{ArchiveBelow: Setting[*float64]{true, pct(0)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := describe(c.Completion); got != describe(tt.want) {
				t.Errorf("got %s\nwant %s", got, describe(tt.want))
			}
		})
	}
}

// describe prints a Completion with its pointers followed.
func describe(c Completion) string {
	p := func(s Setting[*float64]) string {
		if s.Value == nil {
			return boolWord(s.Set) + " nil"
		}
		return boolWord(s.Set) + " " + strconv.FormatFloat(*s.Value, 'f', -1, 64)
	}
	return strings.Join([]string{
		boolWord(c.Stage.Set) + " " + c.Stage.Value, p(c.PassThreshold),
		boolWord(c.PassStage.Set) + " " + c.PassStage.Value, boolWord(c.FailStage.Set) + " " + c.FailStage.Value,
		p(c.ArchiveBelow), boolWord(c.ArchiveReason.Set) + " " + c.ArchiveReason.Value,
		boolWord(c.ArchiveGrace.Set) + " " + c.ArchiveGrace.Value.String(),
		boolWord(c.UploadReport.Set) + " " + boolWord(c.UploadReport.Value),
		boolWord(c.InviteOnApplication.Set) + " " + boolWord(c.InviteOnApplication.Value),
	}, " | ")
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestLoadCompletionProblems(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{
			name: "malformed values, each named",
			env: map[string]string{
				"ASSESSBRIDGE_LEVER_API_KEY":  "key123",
				"ASSESSBRIDGE_PASS_THRESHOLD": "seventy", "ASSESSBRIDGE_ARCHIVE_BELOW": "101",
				"ASSESSBRIDGE_ARCHIVE_GRACE": "1d", "ASSESSBRIDGE_UPLOAD_REPORT": "maybe",
				"ASSESSBRIDGE_INVITE_ON_APPLICATION": "2",
			},
			want: []string{`ASSESSBRIDGE_PASS_THRESHOLD: want a percentage from 0 to 100 (e.g. 70) or off, got "seventy"`,
				`ASSESSBRIDGE_ARCHIVE_BELOW: want a percentage`, `ASSESSBRIDGE_ARCHIVE_GRACE: want a Go duration from 1h to 720h`,
				`ASSESSBRIDGE_UPLOAD_REPORT: want true or false, got "maybe"`, "ASSESSBRIDGE_INVITE_ON_APPLICATION"},
		},
		{
			name: "NaN and a grace out of bounds",
			env: map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": "key123", "ASSESSBRIDGE_PASS_THRESHOLD": "NaN",
				"ASSESSBRIDGE_ARCHIVE_GRACE": "30m"},
			want: []string{"ASSESSBRIDGE_PASS_THRESHOLD", `ASSESSBRIDGE_ARCHIVE_GRACE: want a Go duration from 1h to 720h (e.g. 24h, 72h), got "30m"`},
		},
		{
			name: "set without a key",
			env:  map[string]string{"ASSESSBRIDGE_COMPLETION_STAGE": "Done", "ASSESSBRIDGE_INVITE_ON_APPLICATION": "true"},
			want: []string{"ASSESSBRIDGE_COMPLETION_STAGE: set without ASSESSBRIDGE_LEVER_API_KEY",
				"ASSESSBRIDGE_INVITE_ON_APPLICATION: set without ASSESSBRIDGE_LEVER_API_KEY"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			if err == nil {
				t.Fatal("got nil error, want one naming every problem")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestVarsListCompletion(t *testing.T) {
	for _, name := range completionVars {
		if !slices.Contains(Vars, name) {
			t.Errorf("Vars: got no %s, want it listed", name)
		}
	}
}
