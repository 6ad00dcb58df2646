// Package rating turns an assessment score into a Lever rating. It is pure and deterministic,
// so workflow code may call it directly.
package rating

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Band maps percentages from MinPercent (inclusive) up to the next band's MinPercent (exclusive)
// to a Lever rating. Bands are open on the upper side on purpose: a fractional percentage such as
// 34.9 % belongs to the band it has reached (0–34), never rounded up into the next one, so a
// candidate is only given a rating whose threshold they actually met.
type Band struct {
	MinPercent float64
	Rating     int    // 1–4, Lever's score-system scale
	Label      string // e.g. "Strong Hire"; the option text is "<Rating> - <Label>"
}

// Rating is the outcome of Rate.
type Rating struct {
	Percent float64
	Value   int
	Label   string
}

// OptionText is the text Lever's default score-system options use, e.g. "3 - Hire".
func (r Rating) OptionText() string { return fmt.Sprintf("%d - %s", r.Value, r.Label) }

// DefaultBands: 0–34 → 1 Strong No Hire, 35–49 → 2 No Hire, 50–74 → 3 Hire, 75–100 → 4 Strong Hire.
func DefaultBands() []Band {
	return []Band{
		{MinPercent: 0, Rating: 1, Label: "Strong No Hire"},
		{MinPercent: 35, Rating: 2, Label: "No Hire"},
		{MinPercent: 50, Rating: 3, Label: "Hire"},
		{MinPercent: 75, Rating: 4, Label: "Strong Hire"},
	}
}

var (
	// ErrMissingScore: the platform reported a submission without a score or maximum score.
	ErrMissingScore = errors.New("score or maximum score missing")
	// ErrOutOfRange: the score cannot be a percentage (negative, above the maximum, maximum ≤ 0, NaN).
	ErrOutOfRange = errors.New("score out of range")
)

// Rate computes the percentage score/maxScore×100 and picks the band it falls in.
// Nil bands mean DefaultBands.
func Rate(score, maxScore *float64, bands []Band) (Rating, error) {
	if score == nil || maxScore == nil {
		return Rating{}, ErrMissingScore
	}
	s, m := *score, *maxScore
	// The error names what is wrong but not the numbers: it becomes a failure message, which
	// Temporal keeps in plaintext, and a score is candidate data.
	switch {
	case math.IsNaN(s) || math.IsNaN(m) || math.IsInf(s, 0) || math.IsInf(m, 0):
		return Rating{}, fmt.Errorf("%w: not a finite number", ErrOutOfRange)
	case m <= 0:
		return Rating{}, fmt.Errorf("%w: maximum score not above zero", ErrOutOfRange)
	case s < 0:
		return Rating{}, fmt.Errorf("%w: negative score", ErrOutOfRange)
	case s > m:
		return Rating{}, fmt.Errorf("%w: score above the maximum", ErrOutOfRange)
	}
	if len(bands) == 0 {
		bands = DefaultBands()
	}
	if err := Validate(bands); err != nil {
		return Rating{}, err
	}
	pct := s / m * 100
	var chosen Band
	for _, b := range sorted(bands) {
		if pct >= b.MinPercent {
			chosen = b
		}
	}
	return Rating{Percent: pct, Value: chosen.Rating, Label: chosen.Label}, nil
}

// Validate checks that bands cover 0–100 without gaps: the lowest starts at 0, edges are distinct
// and within 0–100, ratings are 1–4 and labels are set.
func Validate(bands []Band) error {
	if len(bands) == 0 {
		return errors.New("rating bands: none given")
	}
	bs := sorted(bands)
	if bs[0].MinPercent != 0 {
		return fmt.Errorf("rating bands: lowest band starts at %g, want 0", bs[0].MinPercent)
	}
	for i, b := range bs {
		if b.MinPercent < 0 || b.MinPercent > 100 || math.IsNaN(b.MinPercent) {
			return fmt.Errorf("rating bands: edge %g outside 0–100", b.MinPercent)
		}
		if i > 0 && b.MinPercent == bs[i-1].MinPercent {
			return fmt.Errorf("rating bands: two bands start at %g", b.MinPercent)
		}
		if b.Rating < 1 || b.Rating > 4 {
			return fmt.Errorf("rating bands: rating %d outside 1–4", b.Rating)
		}
		if b.Label == "" {
			return fmt.Errorf("rating bands: band at %g has no label", b.MinPercent)
		}
	}
	return nil
}

func sorted(bands []Band) []Band {
	bs := append([]Band(nil), bands...)
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].MinPercent < bs[j].MinPercent })
	return bs
}
