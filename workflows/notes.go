package workflows

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/assessbridge/assessbridge/activities"
	"github.com/assessbridge/assessbridge/workflows/rating"
)

// resultNote is the Lever note a recruiter reads: score, rating, proctoring and the report link.
func resultNote(title string, sub *SubmittedSignal, r rating.Rating) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: submitted\n", title)
	fmt.Fprintf(&b, "Score: %s of %s (%s%%), rating %s\n", num(*sub.Score), num(*sub.MaxScore), pct(r.Percent), r.OptionText())
	fmt.Fprintf(&b, "Proctoring: %s\n", proctoring(sub))
	if sub.ReportURL != "" {
		fmt.Fprintf(&b, "Full report: %s\n", sub.ReportURL)
	}
	return strings.TrimRight(b.String(), "\n")
}

// noAssessmentNote tells the recruiter why nothing was sent and the three ways to choose an
// assessment; adminURL is the account's admin page ("" without one).
func noAssessmentNote(adminURL string) string {
	var b strings.Builder
	b.WriteString("No assessment was sent: this candidate entered an assessment stage, but no assessment is set for them or their job.\n")
	b.WriteString("Set one in any of these ways, then move the candidate into the stage again:\n")
	b.WriteString("1. Tag the candidate with the assessment's title.\n")
	b.WriteString("2. Tag the job posting with the assessment's title, or with assessment:<assessment id>.\n")
	if adminURL != "" {
		fmt.Fprintf(&b, "3. Map the job to an assessment on the assessbridge admin page: %s\n", adminURL)
	} else {
		b.WriteString("3. Ask your assessbridge admin to map the job to an assessment.\n")
	}
	fmt.Fprintf(&b, "Candidates in this situation carry the tag %q.", activities.NotSetTag)
	return b.String()
}

// withLines appends lines to a note.
func withLines(note string, lines []string) string {
	if len(lines) == 0 {
		return note
	}
	return note + "\n" + strings.Join(lines, "\n")
}

// verdictLine states the result against the pass threshold.
func verdictLine(verdict string, threshold float64) string {
	if verdict == VerdictPassed {
		return fmt.Sprintf("Passed (threshold %s%%).", pct(threshold))
	}
	return fmt.Sprintf("Failed (threshold %s%%).", pct(threshold))
}

// feedbackSummary fills the feedback form's summary field.
func feedbackSummary(title string, sub *SubmittedSignal, r rating.Rating) string {
	return fmt.Sprintf("%s: %s of %s (%s%%). Proctoring: %s",
		title, num(*sub.Score), num(*sub.MaxScore), pct(r.Percent), proctoring(sub))
}

// invalidScoreNote tells the recruiter why there is no rating.
func invalidScoreNote(title string, sub *SubmittedSignal, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: submitted, but the result could not be rated (%v). No feedback was posted; please review the report.\n", title, err)
	fmt.Fprintf(&b, "Proctoring: %s\n", proctoring(sub))
	if sub.ReportURL != "" {
		fmt.Fprintf(&b, "Full report: %s\n", sub.ReportURL)
	}
	return strings.TrimRight(b.String(), "\n")
}

func proctoring(sub *SubmittedSignal) string {
	summary := strings.TrimSpace(sub.Proctoring)
	switch {
	case sub.Flagged && summary != "":
		return "FLAGGED: " + summary
	case sub.Flagged:
		return "FLAGGED by the platform (no details given)"
	case summary != "":
		return "no integrity concerns. " + summary
	default:
		return "no integrity concerns reported"
	}
}

// num prints a score without trailing zeros: 42, 42.5.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// pct prints a percentage to one decimal, without ".0": 84, 84.4.
func pct(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}
