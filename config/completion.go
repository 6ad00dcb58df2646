package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Setting is one optional setting of the environment account. An unset variable (Set false)
// keeps what the store holds, since an admin may have set it on the admin page; the value
// "off" sets Value's zero value, which turns the setting off.
type Setting[T any] struct {
	Set   bool
	Value T
}

// Completion is what happens when a candidate submits (issue 11), as the environment sets it
// for the environment account. Stage and archive-reason names are resolved through Lever by
// envaccount; the combination is checked there too, by store.Account.ValidateCompletion.
type Completion struct {
	Stage         Setting[string]        // ASSESSBRIDGE_COMPLETION_STAGE: stage name or id; "" = off
	PassThreshold Setting[*float64]      // ASSESSBRIDGE_PASS_THRESHOLD: percent; nil = off
	PassStage     Setting[string]        // ASSESSBRIDGE_PASS_STAGE: stage name or id; "" = off
	FailStage     Setting[string]        // ASSESSBRIDGE_FAIL_STAGE: stage name or id; "" = off
	ArchiveBelow  Setting[*float64]      // ASSESSBRIDGE_ARCHIVE_BELOW: percent; nil = off
	ArchiveReason Setting[string]        // ASSESSBRIDGE_ARCHIVE_REASON: archive reason name or id
	ArchiveGrace  Setting[time.Duration] // ASSESSBRIDGE_ARCHIVE_GRACE: Go duration; 0 = the default (24h)
	UploadReport  Setting[bool]          // ASSESSBRIDGE_UPLOAD_REPORT
	// InviteOnApplication: ASSESSBRIDGE_INVITE_ON_APPLICATION.
	InviteOnApplication Setting[bool]
	// NoAssessmentNotice: ASSESSBRIDGE_NO_ASSESSMENT_NOTICE (on by default); off keeps Lever
	// silent when a candidate enters a trigger stage with no assessment to send.
	NoAssessmentNotice Setting[bool]
}

// completionVars are the variables of Completion, in the order Vars and the docs list them.
var completionVars = []string{
	"ASSESSBRIDGE_COMPLETION_STAGE", "ASSESSBRIDGE_PASS_THRESHOLD", "ASSESSBRIDGE_PASS_STAGE",
	"ASSESSBRIDGE_FAIL_STAGE", "ASSESSBRIDGE_ARCHIVE_BELOW", "ASSESSBRIDGE_ARCHIVE_REASON",
	"ASSESSBRIDGE_ARCHIVE_GRACE", "ASSESSBRIDGE_UPLOAD_REPORT", "ASSESSBRIDGE_INVITE_ON_APPLICATION",
	"ASSESSBRIDGE_NO_ASSESSMENT_NOTICE",
}

// Bounds of ASSESSBRIDGE_ARCHIVE_GRACE, as store.MinArchiveGrace and store.MaxArchiveGrace.
const (
	minArchiveGrace = time.Hour
	maxArchiveGrace = 30 * 24 * time.Hour
)

// loadCompletion reads the completion variables, naming the variable in every parse error.
func loadCompletion(get func(name, def string) string) (Completion, []error) {
	var (
		c    Completion
		errs []error
	)
	text := func(name string) Setting[string] {
		v := get(name, "")
		if v == "" {
			return Setting[string]{}
		}
		if isOff(v) {
			return Setting[string]{Set: true}
		}
		return Setting[string]{Set: true, Value: v}
	}
	percent := func(name string) Setting[*float64] {
		v := get(name, "")
		if v == "" {
			return Setting[*float64]{}
		}
		if isOff(v) {
			return Setting[*float64]{Set: true}
		}
		p, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, "%")), 64)
		if err != nil || math.IsNaN(p) || p < 0 || p > 100 {
			errs = append(errs, fmt.Errorf("%s: want a percentage from 0 to 100 (e.g. 70) or off, got %q", name, v))
			return Setting[*float64]{}
		}
		return Setting[*float64]{Set: true, Value: &p}
	}
	flag := func(name string) Setting[bool] {
		v := get(name, "")
		if v == "" {
			return Setting[bool]{}
		}
		b, ok := parseBool(v)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: want true or false, got %q", name, v))
			return Setting[bool]{}
		}
		return Setting[bool]{Set: true, Value: b}
	}

	c.Stage = text("ASSESSBRIDGE_COMPLETION_STAGE")
	c.PassThreshold = percent("ASSESSBRIDGE_PASS_THRESHOLD")
	c.PassStage = text("ASSESSBRIDGE_PASS_STAGE")
	c.FailStage = text("ASSESSBRIDGE_FAIL_STAGE")
	c.ArchiveBelow = percent("ASSESSBRIDGE_ARCHIVE_BELOW")
	c.ArchiveReason = text("ASSESSBRIDGE_ARCHIVE_REASON")
	if v := get("ASSESSBRIDGE_ARCHIVE_GRACE", ""); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case isOff(v) || strings.EqualFold(v, "default"):
			c.ArchiveGrace = Setting[time.Duration]{Set: true}
		case err != nil || d < minArchiveGrace || d > maxArchiveGrace:
			errs = append(errs, fmt.Errorf("ASSESSBRIDGE_ARCHIVE_GRACE: want a Go duration from 1h to 720h (e.g. 24h, 72h), got %q", v))
		default:
			c.ArchiveGrace = Setting[time.Duration]{Set: true, Value: d}
		}
	}
	c.UploadReport = flag("ASSESSBRIDGE_UPLOAD_REPORT")
	c.InviteOnApplication = flag("ASSESSBRIDGE_INVITE_ON_APPLICATION")
	c.NoAssessmentNotice = flag("ASSESSBRIDGE_NO_ASSESSMENT_NOTICE")
	return c, errs
}

// setVars names the completion variables that are set, in completionVars order.
func (c Completion) setVars() []string {
	set := []bool{c.Stage.Set, c.PassThreshold.Set, c.PassStage.Set, c.FailStage.Set, c.ArchiveBelow.Set,
		c.ArchiveReason.Set, c.ArchiveGrace.Set, c.UploadReport.Set, c.InviteOnApplication.Set, c.NoAssessmentNotice.Set}
	var names []string
	for i, s := range set {
		if s {
			names = append(names, completionVars[i])
		}
	}
	return names
}

func isOff(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "off") }

// parseBool is strconv.ParseBool that also takes on/off and yes/no, as people write them.
func parseBool(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "yes":
		return true, true
	case "off", "no":
		return false, true
	}
	b, err := strconv.ParseBool(v)
	return b, err == nil
}
