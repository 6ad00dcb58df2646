package envaccount_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/envaccount"
	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

// completion is what the test compares of the stored account's completion settings.
type completion struct {
	stage, passStage, failStage, reason string
	pass, archive                       string // percent, "" = off
	grace                               time.Duration
	upload, onApplication               bool
}

func completionOf(a store.Account) completion {
	pct := func(p *float64) string {
		if p == nil {
			return ""
		}
		return store.FormatPercent(*p)
	}
	return completion{stage: a.CompletionStageID, passStage: a.PassStageID, failStage: a.FailStageID, reason: a.ArchiveReasonID,
		pass: pct(a.PassThreshold), archive: pct(a.ArchiveBelow), grace: a.ArchiveGrace,
		upload: a.UploadReport, onApplication: a.InviteOnApplication}
}

func TestApplyCompletion(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		want      completion
		wantCalls int // requests to Lever
	}{
		{name: "key only: everything off", env: map[string]string{}, want: completion{}},
		{
			name: "names resolved, one stage list for every stage variable",
			env: map[string]string{
				"ASSESSBRIDGE_TRIGGER_STAGES":   "Phone screen",
				"ASSESSBRIDGE_COMPLETION_STAGE": "assessment", "ASSESSBRIDGE_PASS_THRESHOLD": "70",
				"ASSESSBRIDGE_PASS_STAGE": "On-site", "ASSESSBRIDGE_FAIL_STAGE": stageScreen,
				"ASSESSBRIDGE_ARCHIVE_BELOW": "30", "ASSESSBRIDGE_ARCHIVE_REASON": "underqualified",
				"ASSESSBRIDGE_ARCHIVE_GRACE": "48h", "ASSESSBRIDGE_UPLOAD_REPORT": "true",
				"ASSESSBRIDGE_INVITE_ON_APPLICATION": "true",
			},
			want: completion{stage: stageAssess, pass: "70", passStage: stageOnsite, failStage: stageScreen,
				archive: "30", reason: leversim.ReasonUnderqualified, grace: 48 * time.Hour, upload: true, onApplication: true},
			wantCalls: 2,
		},
		{
			name:      "reason by id, no stages",
			env:       map[string]string{"ASSESSBRIDGE_ARCHIVE_BELOW": "0", "ASSESSBRIDGE_ARCHIVE_REASON": leversim.ReasonWithdrew},
			want:      completion{archive: "0", reason: leversim.ReasonWithdrew},
			wantCalls: 1,
		},
		{
			name:      "thresholds and flags need no Lever",
			env:       map[string]string{"ASSESSBRIDGE_PASS_THRESHOLD": "62.5", "ASSESSBRIDGE_UPLOAD_REPORT": "on"},
			want:      completion{pass: "62.5", upload: true},
			wantCalls: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, url := leverWithKey(t)
			st := newStore(t)
			env := map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": apiKey, "ASSESSBRIDGE_LEVER_API_URL": url}
			for k, v := range tt.env {
				env[k] = v
			}
			if err := envaccount.Apply(context.Background(), loadConfig(t, env), st, newLever); err != nil {
				t.Fatalf("apply: got %v, want no error", err)
			}
			if got := completionOf(mustAccount(t, st, config.EnvAccountID)); got != tt.want {
				t.Errorf("completion settings: got %+v, want %+v", got, tt.want)
			}
			if got := ls.Calls(config.EnvAccountID).Total; got != tt.wantCalls {
				t.Errorf("lever calls: got %d, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestApplyCompletionProblems(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{
			name: "unknown stages, each variable named",
			env: map[string]string{"ASSESSBRIDGE_COMPLETION_STAGE": "Done", "ASSESSBRIDGE_PASS_THRESHOLD": "50",
				"ASSESSBRIDGE_PASS_STAGE": "Offer", "ASSESSBRIDGE_FAIL_STAGE": "Assessment"},
			want: []string{`ASSESSBRIDGE_COMPLETION_STAGE: Lever has no stage "Done"`, `ASSESSBRIDGE_PASS_STAGE: Lever has no stage "Offer"`,
				`"Assessment" (` + stageAssess + `)`},
		},
		{
			name: "unknown archive reason",
			env:  map[string]string{"ASSESSBRIDGE_ARCHIVE_BELOW": "30", "ASSESSBRIDGE_ARCHIVE_REASON": "Too slow"},
			want: []string{`ASSESSBRIDGE_ARCHIVE_REASON: Lever has no archive reason "Too slow"`, `"Underqualified" (` + leversim.ReasonUnderqualified + `)`},
		},
		{
			name: "hired reason refused",
			env:  map[string]string{"ASSESSBRIDGE_ARCHIVE_BELOW": "30", "ASSESSBRIDGE_ARCHIVE_REASON": "Hired"},
			want: []string{"ASSESSBRIDGE_ARCHIVE_REASON", "reason for hired candidates"},
		},
		{
			name: "archive without a reason",
			env:  map[string]string{"ASSESSBRIDGE_ARCHIVE_BELOW": "30"},
			want: []string{"ASSESSBRIDGE_ARCHIVE_REASON: auto-archive needs an archive reason"},
		},
		{
			name: "stages for pass and fail without a threshold",
			env:  map[string]string{"ASSESSBRIDGE_PASS_STAGE": "On-site", "ASSESSBRIDGE_FAIL_STAGE": "Phone screen"},
			want: []string{"ASSESSBRIDGE_PASS_STAGE: a stage for passes needs a pass threshold",
				"ASSESSBRIDGE_FAIL_STAGE: a stage for fails needs a pass threshold"},
		},
		{
			name: "archive would reach passes",
			env: map[string]string{"ASSESSBRIDGE_PASS_THRESHOLD": "60", "ASSESSBRIDGE_ARCHIVE_BELOW": "70",
				"ASSESSBRIDGE_ARCHIVE_REASON": "Withdrew"},
			want: []string{"ASSESSBRIDGE_ARCHIVE_BELOW: the auto-archive threshold (70%) is above the pass threshold (60%)"},
		},
		{
			name: "wrong key reported once",
			env: map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": "not-the-key", "ASSESSBRIDGE_COMPLETION_STAGE": "Assessment",
				"ASSESSBRIDGE_ARCHIVE_BELOW": "30", "ASSESSBRIDGE_ARCHIVE_REASON": "Withdrew"},
			want: []string{"rejected the API key (401)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { applyRefused(t, tt.env, tt.want, nil) })
	}
}

// TestReapplyCompletion: unset variables keep what an admin saved, "off" turns a setting off
// (a pass threshold with its stages), and a combination that does not hold with the stored
// values is refused without writing anything.
func TestReapplyCompletion(t *testing.T) {
	ls, url := leverWithKey(t)
	ls.AddArchiveReason(config.EnvAccountID, lever.ArchiveReason{ID: "reason-skills", Text: "Skills", Type: lever.ArchiveReasonNonHired})
	st := newStore(t)
	ctx := context.Background()
	base := map[string]string{"ASSESSBRIDGE_LEVER_API_KEY": apiKey, "ASSESSBRIDGE_LEVER_API_URL": url}
	apply := func(extra map[string]string) error {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for k, v := range extra {
			env[k] = v
		}
		return envaccount.Apply(ctx, loadConfig(t, env), st, newLever)
	}
	if err := apply(map[string]string{"ASSESSBRIDGE_PASS_THRESHOLD": "70", "ASSESSBRIDGE_PASS_STAGE": "On-site",
		"ASSESSBRIDGE_FAIL_STAGE": "Phone screen", "ASSESSBRIDGE_UPLOAD_REPORT": "true"}); err != nil {
		t.Fatalf("first apply: %v", err)
	}
	// An admin turns auto-archive on.
	err := st.UpdateAccount(ctx, config.EnvAccountID, func(a *store.Account) error {
		archive := 20.0
		a.ArchiveBelow, a.ArchiveReasonID = &archive, "reason-skills"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The archive threshold rises above what the stored pass threshold allows: refused, nothing written.
	before := completionOf(mustAccount(t, st, config.EnvAccountID))
	err = apply(map[string]string{"ASSESSBRIDGE_ARCHIVE_BELOW": "75"})
	if err == nil || !strings.Contains(err.Error(), "ASSESSBRIDGE_ARCHIVE_BELOW") || !strings.Contains(err.Error(), "admin page") {
		t.Errorf("apply archive above pass: got %v, want an error naming ASSESSBRIDGE_ARCHIVE_BELOW and the admin page's values", err)
	}
	if got := completionOf(mustAccount(t, st, config.EnvAccountID)); got != before {
		t.Errorf("after refused apply: got %+v, want unchanged %+v", got, before)
	}

	// Nothing set: all kept. Threshold off: it and its stages go; the rest stays.
	if err := apply(nil); err != nil {
		t.Fatalf("apply nothing: %v", err)
	}
	if got := completionOf(mustAccount(t, st, config.EnvAccountID)); got != before {
		t.Errorf("after applying nothing: got %+v, want %+v", got, before)
	}
	if err := apply(map[string]string{"ASSESSBRIDGE_PASS_THRESHOLD": "off", "ASSESSBRIDGE_UPLOAD_REPORT": "false"}); err != nil {
		t.Fatalf("apply off: %v", err)
	}
	want := completion{archive: "20", reason: "reason-skills"}
	if got := completionOf(mustAccount(t, st, config.EnvAccountID)); got != want {
		t.Errorf("after turning off: got %+v, want %+v", got, want)
	}
	if err := apply(map[string]string{"ASSESSBRIDGE_ARCHIVE_BELOW": "off"}); err != nil {
		t.Fatalf("apply archive off: %v", err)
	}
	if got := mustAccount(t, st, config.EnvAccountID); got.ArchiveBelow != nil {
		t.Errorf("after ASSESSBRIDGE_ARCHIVE_BELOW=off: got %v, want auto-archive off", *got.ArchiveBelow)
	}
}
