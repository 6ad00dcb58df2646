package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestVerdict(t *testing.T) {
	c := &candidate{account: &account{id: "a"}, opportunity: "o", score: 60, max: 100, flagged: true}
	good := verdict{c: c, invitations: 1, notes: 1, feedback: 1, rating: "3 - Hire", noteRating: true,
		tags: []string{"Go Basics - Flagged", "Go Basics - Submitted"}, workflow: "Completed"}
	tests := []struct {
		name                       string
		change                     func(*verdict)
		lost, dup, wrong, unfinish bool
	}{
		{"as expected", func(*verdict) {}, false, false, false, false},
		{"no invitation", func(v *verdict) { v.invitations = 0 }, true, false, false, false},
		{"no note", func(v *verdict) { v.notes = 0 }, true, false, false, false},
		{"two invitations", func(v *verdict) { v.invitations = 2 }, false, true, false, false},
		{"two feedback forms", func(v *verdict) { v.feedback = 2 }, false, true, false, false},
		{"wrong rating", func(v *verdict) { v.rating = "4 - Strong Hire" }, false, false, true, false},
		{"note without the rating", func(v *verdict) { v.noteRating = false }, false, false, true, false},
		{"flag missing", func(v *verdict) { v.tags = []string{"Go Basics - Submitted"} }, false, false, true, false},
		{"stale status tag left", func(v *verdict) {
			v.tags = []string{"Go Basics - Flagged", "Go Basics - Started", "Go Basics - Submitted"}
		}, false, false, true, false},
		{"workflow still running", func(v *verdict) { v.workflow = "Running" }, false, false, false, true},
		{"workflow status not read yet", func(v *verdict) { v.workflow = "" }, false, false, false, false},
	}
	moved := &candidate{account: &account{id: "a"}, opportunity: "o", score: 60, max: 100, flagged: true, order: laterFirst}
	notInvited := verdict{c: moved, workflow: "Canceled"}
	tests = append(tests, []struct {
		name                       string
		change                     func(*verdict)
		lost, dup, wrong, unfinish bool
	}{
		{"moved on first: not invited", func(v *verdict) { *v = notInvited }, false, false, false, false},
		{"moved on first but invited", func(v *verdict) { *v = notInvited; v.invitations = 1 }, false, false, true, false},
		{"moved on first but tagged", func(v *verdict) { *v = notInvited; v.tags = []string{"Go Basics - Invited"} }, false, false, true, false},
		{"moved on first but completed", func(v *verdict) { *v = notInvited; v.workflow = "Completed" }, false, false, false, true},
	}...)
	for _, tt := range tests {
		v := good
		v.tags = slices.Clone(good.tags)
		tt.change(&v)
		if v.lost() != tt.lost || v.duplicated() != tt.dup || v.wrong() != tt.wrong || v.unfinished() != tt.unfinish {
			t.Errorf("%s: got lost %v, duplicated %v, wrong %v, unfinished %v; want %v, %v, %v, %v", tt.name,
				v.lost(), v.duplicated(), v.wrong(), v.unfinished(), tt.lost, tt.dup, tt.wrong, tt.unfinish)
		}
		if v.ok() != (!tt.lost && !tt.dup && !tt.wrong && !tt.unfinish) {
			t.Errorf("%s: ok() = %v disagrees with the classification", tt.name, v.ok())
		}
	}
}

func TestScanLogs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("dev.log", `{"msg":"workflow started","workflow_id":"lever/chaos-1/opp-00001"}`+"\n")
	write("worker-1.log", `{"msg":"invite","error":"candidate ada.lovelace@candidates.example refused"}`+"\n")
	write("notes.txt", "ada.lovelace@candidates.example is not in a log file")
	secrets := map[string]string{
		"email of opp-00001": "ada.lovelace@candidates.example",
		"name of opp-00002":  "Grace Hopper",
		"too short to scan":  "opp",
	}
	leaks, size, err := scanLogs(dir, secrets)
	if err != nil {
		t.Fatal(err)
	}
	want := []leak{{what: "email of opp-00001", file: "worker-1.log"}}
	if !slices.Equal(leaks, want) {
		t.Errorf("leaks: got %v, want %v", leaks, want)
	}
	if size == 0 {
		t.Error("bytes scanned: got 0, want the logs' size")
	}
	if _, _, err := scanLogs(t.TempDir(), secrets); err == nil {
		t.Error("a directory without logs: got no error, want one (an empty scan proves nothing)")
	}
}
