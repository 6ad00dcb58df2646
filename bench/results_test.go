package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAppendResults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "RESULTS.md")
	m := machine{commit: "abc1234", cores: 2, memory: "4.0 GiB", cpu: "test cpu", goVer: "go1.26.8"}
	rows := []row{atLeast("1", "intake ÷ raw", 0.9, 0.8, "0.90", "≥ 0.80")}
	for _, p := range []plan{quickPlan, fullPlan} {
		if err := appendResults(path, render(p, m, rows, []string{"a note"}, time.Minute)); err != nil {
			t.Fatalf("appendResults: got %v, want nil", err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if !strings.HasPrefix(got, "# Benchmark results\n") || strings.Count(got, "# Benchmark results") != 1 {
		t.Errorf("file: got %q…, want it to start with the header, once", got[:min(len(got), 40)])
	}
	for _, want := range []string{"quick run · commit abc1234", "full run · commit abc1234", "2 cores (test cpu), 4.0 GiB memory, go1.26.8", "- a note", "| 1 | intake ÷ raw | 0.90 | ≥ 0.80 | PASS |"} {
		if !strings.Contains(got, want) {
			t.Errorf("file: want %q in\n%s", want, got)
		}
	}
	if n := strings.Count(got, "Not the full sizes"); n != 1 {
		t.Errorf("smoke-run remarks: got %d, want 1 (the quick run's only)", n)
	}
}
