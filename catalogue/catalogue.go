// Package catalogue holds how an assessment is chosen from an account's catalogue: by a title
// written as a Lever tag (case and surrounding spaces ignored), by an id on the job posting, or
// by the posting mapping saved on the admin page. The workflow's resolver and the admin page
// both choose with it, so what the page says and what a candidate gets cannot disagree.
package catalogue

import (
	"fmt"
	"slices"
	"strings"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/store"
)

// PostingTagPrefix marks a posting tag holding an assessment id ("assessment:abc123"); the
// admin page writes one when an admin maps a posting. A bare id works too.
const PostingTagPrefix = "assessment:"

// Why an assessment was chosen, in the order they are tried (SourceInput only for an operator's
// start that names one).
const (
	SourceInput        = "input"
	SourceCandidateTag = "candidate_tag"     // a candidate tag equal to a title
	SourcePostingTitle = "posting_tag_title" // a posting tag equal to a title
	SourcePostingID    = "posting_tag"       // a posting tag holding an id
	SourceMapping      = "mapping"           // the posting mapping saved on the admin page
)

// Fold is how titles compare: two titles are the same if they differ only in case or in
// surrounding spaces, as a recruiter typing a tag would expect.
func Fold(title string) string { return strings.ToLower(strings.TrimSpace(title)) }

// FromPlatform keeps the platform's assessments that have an id and a title, as the store holds
// them; Check is still to be run on the result.
func FromPlatform(listed []assessment.Assessment) []store.Assessment {
	out := make([]store.Assessment, 0, len(listed))
	for _, as := range listed {
		if as.ID != "" && as.Title != "" {
			out = append(out, store.Assessment{ID: as.ID, Title: as.Title})
		}
	}
	return out
}

// Catalogue is an account's assessments, indexed for choosing.
type Catalogue struct {
	byID    map[string]store.Assessment
	byTitle map[string]store.Assessment
}

// New indexes list. Titles equal after Fold should have been refused by Check; if some remain
// (a catalogue stored before the check existed), the smallest id wins, as before.
func New(list []store.Assessment) Catalogue {
	c := Catalogue{byID: make(map[string]store.Assessment, len(list)), byTitle: make(map[string]store.Assessment, len(list))}
	for _, a := range list {
		c.byID[a.ID] = a
		k := Fold(a.Title)
		if have, ok := c.byTitle[k]; !ok || a.ID < have.ID {
			c.byTitle[k] = a
		}
	}
	return c
}

// ByTitle finds the assessment titled t, ignoring case and surrounding spaces.
func (c Catalogue) ByTitle(t string) (store.Assessment, bool) {
	if strings.TrimSpace(t) == "" {
		return store.Assessment{}, false
	}
	a, ok := c.byTitle[Fold(t)]
	return a, ok
}

// ByID finds the assessment with id.
func (c Catalogue) ByID(id string) (store.Assessment, bool) {
	a, ok := c.byID[id]
	return a, ok
}

// Check refuses a catalogue in which two titles differ only in case or spaces: a Lever tag could
// not tell them apart. The error names every such group.
func Check(list []store.Assessment) error {
	groups := map[string][]string{}
	for _, a := range list {
		// The very same title twice is as ambiguous as two that differ in case.
		groups[Fold(a.Title)] = append(groups[Fold(a.Title)], a.Title)
	}
	var clashes []string
	for _, titles := range groups {
		if len(titles) > 1 {
			slices.Sort(titles)
			clashes = append(clashes, strings.Join(quoteAll(titles), " and "))
		}
	}
	if len(clashes) == 0 {
		return nil
	}
	slices.Sort(clashes)
	return fmt.Errorf("the platform lists assessments whose titles differ only in case or spaces (%s): a Lever tag could not tell them apart; rename one on the platform",
		strings.Join(clashes, "; "))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// Choice is the assessment chosen for a candidate or a posting, and why.
type Choice struct {
	Assessment store.Assessment // zero: none
	Source     string           // one of the Source constants; "" when none
	// Tag is the Lever tag that chose it (candidate or posting tag), "" for a mapping.
	Tag string
	// MissingID is set when the posting mapping names an assessment no longer in the catalogue.
	MissingID string
}

// Chosen reports whether an assessment was chosen.
func (ch Choice) Chosen() bool { return ch.Assessment.ID != "" }

// ForCandidate chooses by the candidate's own tags: a tag equal to a title. A status tag from an
// earlier journey ("Go Basics - Expired") counts too: that journey replaced the title tag, and a
// candidate moved back into the stage keeps their assessment.
func (c Catalogue) ForCandidate(tags []string) Choice {
	for _, tag := range tags {
		if a, ok := c.ByTitle(tag); ok {
			return Choice{Assessment: a, Source: SourceCandidateTag, Tag: tag}
		}
	}
	for _, tag := range tags {
		if title, ok := titleOfStatusTag(tag); ok {
			if a, ok := c.ByTitle(title); ok {
				return Choice{Assessment: a, Source: SourceCandidateTag, Tag: tag}
			}
		}
	}
	return Choice{}
}

// ForPosting chooses by the job posting: a posting tag equal to a title, then a posting tag
// holding an id ("assessment:<id>" or "<id>"), then the stored mapping (mappedID, "" for none).
func (c Catalogue) ForPosting(tags []string, mappedID string) Choice {
	for _, tag := range tags {
		if a, ok := c.ByTitle(tag); ok {
			return Choice{Assessment: a, Source: SourcePostingTitle, Tag: tag}
		}
	}
	for _, tag := range tags {
		if id, ok := PostingTagID(tag); ok {
			if a, ok := c.ByID(id); ok {
				return Choice{Assessment: a, Source: SourcePostingID, Tag: tag}
			}
		}
	}
	if mappedID == "" {
		return Choice{}
	}
	if a, ok := c.ByID(mappedID); ok {
		return Choice{Assessment: a, Source: SourceMapping}
	}
	return Choice{MissingID: mappedID}
}

// PostingTagID reads the id a posting tag may hold: "assessment:<id>" (any case of the prefix)
// or the bare tag.
func PostingTagID(tag string) (string, bool) {
	t := strings.TrimSpace(tag)
	if len(t) >= len(PostingTagPrefix) && strings.EqualFold(t[:len(PostingTagPrefix)], PostingTagPrefix) {
		t = strings.TrimSpace(t[len(PostingTagPrefix):])
	}
	return t, t != ""
}

// IsOurPostingTag reports whether tag is an "assessment:<id>" tag, the kind the admin page
// writes on a posting and replaces when the mapping changes.
func IsOurPostingTag(tag string) bool {
	t := strings.TrimSpace(tag)
	return len(t) > len(PostingTagPrefix) && strings.EqualFold(t[:len(PostingTagPrefix)], PostingTagPrefix)
}

// PostingTag is the tag the admin page writes on a posting mapped to assessment id.
func PostingTag(id string) string { return PostingTagPrefix + id }

// StatusSteps are the suffixes of the status tags the workflow sets ("<Title> - <Step>").
var StatusSteps = []string{"Invited", "Started", "Submitted", "Cancelled", "Expired"}

// Suffixes of the tags set beside a status tag: a flagged submission, a result against the
// pass threshold, an extended deadline.
const (
	FlaggedStep  = "Flagged"
	PassedStep   = "Passed"
	FailedStep   = "Failed"
	ExtendedStep = "Extended"
)

func titleOfStatusTag(tag string) (string, bool) {
	for _, step := range append(slices.Clone(StatusSteps), FlaggedStep, PassedStep, FailedStep, ExtendedStep) {
		if title, ok := strings.CutSuffix(strings.TrimSpace(tag), " - "+step); ok && strings.TrimSpace(title) != "" {
			return title, true
		}
	}
	return "", false
}
