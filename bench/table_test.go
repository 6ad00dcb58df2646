package main

import (
	"errors"
	"strings"
	"testing"
)

func TestVerdicts(t *testing.T) {
	tests := []struct {
		name string
		r    row
		want verdict
	}{
		{"at least, above", atLeast("1", "x", 0.85, 0.8, "0.85", "≥ 0.80"), pass},
		{"at least, on the bound", atLeast("1", "x", 0.8, 0.8, "0.80", "≥ 0.80"), pass},
		{"at least, below", atLeast("1", "x", 0.79, 0.8, "0.79", "≥ 0.80"), fail},
		{"at most, on the bound", atMost("2", "x", 9, 9, "9.00", "9"), pass},
		{"at most, above", atMost("2", "x", 9.02, 9, "9.02", "9"), fail},
		{"info", infoRow("4", "x", "1"), info},
		{"error", errorRow("3", "ceiling", errors.New("boom")), fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.r.verdict != tt.want {
				t.Errorf("verdict: got %s, want %s", tt.r.verdict, tt.want)
			}
		})
	}
}

func TestMarkdown(t *testing.T) {
	rows := []row{
		atLeast("1", "intake ÷ raw", 0.9, 0.8, "0.90", "≥ 0.80"),
		infoRow("4", "server RSS", "300.0 MiB"),
		errorRow("3", "ceiling", errors.New("a | b\nc")),
	}
	got := markdown(rows)
	for _, want := range []string{
		"| goal | figure | value | target | result |",
		"| 1 | intake ÷ raw | 0.90 | ≥ 0.80 | PASS |",
		"| 4 | server RSS | 300.0 MiB | — | — |",
		`| 3 | ceiling did not finish | a \| b c | finishes | FAIL |`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("markdown: got\n%s\nwant a line %q", got, want)
		}
	}
	if f := failed(rows); len(f) != 1 || f[0] != "goal 3: ceiling did not finish" {
		t.Errorf("failed: got %q, want [goal 3: ceiling did not finish]", f)
	}
}
