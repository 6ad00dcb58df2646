package main

import (
	"fmt"
	"strings"
)

// verdict is a row's outcome against its goal.
type verdict int

const (
	info verdict = iota // a figure without a goal
	pass
	fail
)

func (v verdict) String() string {
	switch v {
	case pass:
		return "PASS"
	case fail:
		return "FAIL"
	}
	return "—"
}

// row is one figure of the table.
type row struct {
	goal    string // the goal number, "1"…"5"
	figure  string
	value   string
	target  string // "" for a figure without a goal
	verdict verdict
}

func infoRow(goal, figure, value string) row {
	return row{goal: goal, figure: figure, value: value}
}

// atLeast judges v against a lower bound.
func atLeast(goal, figure string, v, lo float64, value, target string) row {
	return row{goal: goal, figure: figure, value: value, target: target, verdict: judge(v >= lo)}
}

// atMost judges v against an upper bound.
func atMost(goal, figure string, v, hi float64, value, target string) row {
	return row{goal: goal, figure: figure, value: value, target: target, verdict: judge(v <= hi)}
}

func judge(ok bool) verdict {
	if ok {
		return pass
	}
	return fail
}

// errorRow reports a scenario that could not finish: it fails its goal.
func errorRow(goal, scenario string, err error) row {
	return row{goal: goal, figure: scenario + " did not finish", value: oneLine(err.Error()), target: "finishes", verdict: fail}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// markdown renders rows as a Markdown table, the form both stdout and RESULTS.md get.
func markdown(rows []row) string {
	var b strings.Builder
	b.WriteString("| goal | figure | value | target | result |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		target := r.target
		if target == "" {
			target = "—"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.goal, cell(r.figure), cell(r.value), cell(target), r.verdict)
	}
	return b.String()
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// failed lists the figures that missed their goal.
func failed(rows []row) []string {
	var out []string
	for _, r := range rows {
		if r.verdict == fail {
			out = append(out, fmt.Sprintf("goal %s: %s", r.goal, r.figure))
		}
	}
	return out
}

// Formatting helpers shared by the scenarios.
func ratio(v float64) string        { return fmt.Sprintf("%.2f", v) }
func perSecond(v float64) string    { return fmt.Sprintf("%.1f/s", v) }
func seconds(v float64) string      { return fmt.Sprintf("%.1f s", v) }
func millis(v float64) string       { return fmt.Sprintf("%.1f ms", v) }
func mebibytes(bytes int64) string  { return fmt.Sprintf("%.1f MiB", float64(bytes)/(1<<20)) }
func count(n int) string            { return fmt.Sprintf("%d", n) }
func perCandidate(v float64) string { return fmt.Sprintf("%.2f", v) }
