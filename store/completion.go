package store

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// DefaultArchiveGrace is how long an automatic archive waits when Account.ArchiveGrace is 0.
const DefaultArchiveGrace = 24 * time.Hour

// Bounds of a set Account.ArchiveGrace: long enough for a recruiter to notice and stop an
// archive, short enough that the candidate is not left hanging.
const (
	MinArchiveGrace = time.Hour
	MaxArchiveGrace = 30 * 24 * time.Hour
)

// CompletionError is one problem ValidateCompletion found. Field names the Account (or
// PostingSettings) field, so the admin page and the environment can point at their own input;
// the message reads on its own.
type CompletionError struct {
	Field string // e.g. "PassThreshold"
	msg   string
}

func (e *CompletionError) Error() string { return e.msg }

func completionErr(field, format string, args ...any) error {
	return &CompletionError{Field: field, msg: fmt.Sprintf(format, args...)}
}

// ValidateCompletion checks the completion settings: thresholds are percentages, auto-archive
// has a reason, a set grace period is between MinArchiveGrace and MaxArchiveGrace, pass and fail
// stages come with a pass threshold, and auto-archive never reaches candidates who passed. It
// returns every problem, each a *CompletionError (joined).
func (a Account) ValidateCompletion() error {
	var errs []error
	if !validPercent(a.PassThreshold) {
		errs = append(errs, completionErr("PassThreshold", "the pass threshold must be a percentage from 0 to 100"))
	}
	if !validPercent(a.ArchiveBelow) {
		errs = append(errs, completionErr("ArchiveBelow", "the auto-archive threshold must be a percentage from 0 to 100"))
	}
	if a.ArchiveBelow != nil && a.ArchiveReasonID == "" {
		errs = append(errs, completionErr("ArchiveReasonID", "auto-archive needs an archive reason"))
	}
	if a.ArchiveGrace != 0 && (a.ArchiveGrace < MinArchiveGrace || a.ArchiveGrace > MaxArchiveGrace) {
		errs = append(errs, completionErr("ArchiveGrace", "the archive grace period must be from 1 hour to 30 days, got %s", a.ArchiveGrace))
	}
	if a.PassThreshold == nil && a.PassStageID != "" {
		errs = append(errs, completionErr("PassStageID", "a stage for passes needs a pass threshold"))
	}
	if a.PassThreshold == nil && a.FailStageID != "" {
		errs = append(errs, completionErr("FailStageID", "a stage for fails needs a pass threshold"))
	}
	if err := archivesPasses(a.PassThreshold, a.ArchiveBelow); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// archivesPasses: an archive threshold above the pass threshold would archive candidates the
// same score tags as passed.
func archivesPasses(pass, archive *float64) error {
	if pass == nil || archive == nil || !validPercent(pass) || !validPercent(archive) || *archive <= *pass {
		return nil
	}
	return completionErr("ArchiveBelow", "the auto-archive threshold (%s%%) is above the pass threshold (%s%%): candidates who passed would be archived",
		FormatPercent(*archive), FormatPercent(*pass))
}

// EffectiveArchiveGrace is ArchiveGrace with 0 read as DefaultArchiveGrace.
func (a Account) EffectiveArchiveGrace() time.Duration {
	if a.ArchiveGrace == 0 {
		return DefaultArchiveGrace
	}
	return a.ArchiveGrace
}

// WithPosting returns the account's settings as they apply to one posting: its overrides
// replace the account's thresholds; nil ones keep them.
func (a Account) WithPosting(p PostingSettings) Account {
	if p.PassThreshold != nil {
		a.PassThreshold = p.PassThreshold
	}
	if p.ArchiveBelow != nil {
		a.ArchiveBelow = p.ArchiveBelow
	}
	return a
}

// FormatPercent writes a percentage the way people type it: 70, 62.5.
func FormatPercent(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

func validPercent(p *float64) bool {
	return p == nil || (!math.IsNaN(*p) && *p >= 0 && *p <= 100)
}

// nullFloat stores a nil *float64 as NULL.
func nullFloat(p *float64) sql.NullFloat64 {
	if p == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *p, Valid: true}
}

func floatPtr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}
