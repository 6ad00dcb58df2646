package admin

import (
	"context"
	"html"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

// TestMappingWrittenOnLeverPosting: saving a mapping sets the posting's assessment:<id> tag in
// Lever as the perform_as user, keeping every field a recruiter set; unmapping removes it; and
// the postings table says what candidates get and why, from what Lever holds.
func TestMappingWrittenOnLeverPosting(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	mustUpdate(t, e, func(a *store.Account) { a.PerformAs = "user-riley" })
	fields := map[string]any{
		"categories":    map[string]any{"team": "Platform", "location": "Berlin"},
		"content":       map[string]any{"description": "Build the platform."},
		"workplaceType": "hybrid", "state": "published",
	}
	e.lever.AddPosting(acct, leversim.Posting{ID: postingID, Text: "Backend Engineer", OwnerID: "user-riley",
		HiringManagerID: "user-riley", Tags: []string{"remote", "assessment:retired-test"}, Fields: fields})
	c := e.loggedIn()
	c.get("/accounts/" + acct)
	c.submit("/accounts/"+acct+"/catalogue", nil)

	_, page := c.get("/accounts/" + acct)
	wantContains(t, page, "— none —")
	wantContains(t, page, "only candidates tagged with an assessment&#39;s title are invited")

	_, page = c.submit("/accounts/"+acct+"/mappings", url.Values{"posting": {postingID}, "assessment": {assessmentID}})
	wantContains(t, page, "Posting mapped to Go Basics.")
	p, _ := e.lever.Posting(acct, postingID)
	if want := []string{"remote", "assessment:" + assessmentID}; !slices.Equal(p.Tags, want) {
		t.Errorf("posting tags: got %q, want %q", p.Tags, want)
	}
	if p.Text != "Backend Engineer" || p.OwnerID != "user-riley" || p.HiringManagerID != "user-riley" {
		t.Errorf("posting lost a field: %+v", p)
	}
	for k, v := range fields {
		if !reflect.DeepEqual(p.Fields[k], v) {
			t.Errorf("posting field %s: got %v, want %v", k, p.Fields[k], v)
		}
	}
	if p.Updates != 1 || p.UpdatedBy != "user-riley" {
		t.Errorf("got %d update(s) by %q, want 1 by user-riley", p.Updates, p.UpdatedBy)
	}
	chosen := between(page, `id="chosen-`+postingID+`"`, "</td>")
	wantContains(t, chosen, "Go Basics")
	wantContains(t, html.UnescapeString(chosen), `Lever posting tag "assessment:go-basics" (an id)`)

	// Saving the same mapping again needs no write.
	c.submit("/accounts/"+acct+"/mappings", url.Values{"posting": {postingID}, "assessment": {assessmentID}})
	if p, _ := e.lever.Posting(acct, postingID); p.Updates != 1 {
		t.Errorf("same mapping saved twice: got %d posting updates, want 1", p.Updates)
	}

	// A recruiter's title tag in Lever comes before the id tag: the page says so.
	p, _ = e.lever.Posting(acct, postingID)
	p.Tags = append(p.Tags, "sql BASICS ")
	e.lever.AddPosting(acct, p)
	_, page = c.get("/accounts/" + acct)
	chosen = between(page, `id="chosen-`+postingID+`"`, "</td>")
	wantContains(t, chosen, "SQL Basics")
	wantContains(t, html.UnescapeString(chosen), `Lever posting tag "sql BASICS " (a title)`)

	_, page = c.submit("/accounts/"+acct+"/mappings", url.Values{"posting": {postingID}, "assessment": {""}})
	wantContains(t, page, "Posting unmapped")
	p, _ = e.lever.Posting(acct, postingID)
	if want := []string{"remote", "sql BASICS "}; !slices.Equal(p.Tags, want) {
		t.Errorf("after unmapping: posting tags %q, want %q", p.Tags, want)
	}
	for k, v := range fields {
		if !reflect.DeepEqual(p.Fields[k], v) {
			t.Errorf("after unmapping: field %s: got %v, want %v", k, p.Fields[k], v)
		}
	}
}

// TestMappingWithoutPerformAs: the mapping is saved; the page says why Lever does not show it.
func TestMappingWithoutPerformAs(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	c.get("/accounts/" + acct)
	c.submit("/accounts/"+acct+"/catalogue", nil)
	_, page := c.submit("/accounts/"+acct+"/mappings", url.Values{"posting": {postingID}, "assessment": {assessmentID}})
	wantContains(t, page, "Posting mapped to Go Basics.")
	wantContains(t, page, "so the posting also carries the mapping as a tag")
	if p, _ := e.lever.Posting(acct, postingID); p.Updates != 0 {
		t.Errorf("got %d posting updates without a perform_as user, want 0", p.Updates)
	}
}

// TestCatalogueTitlesThatDifferOnlyInCase: such a catalogue is refused, the stored one kept.
func TestCatalogueTitlesThatDifferOnlyInCase(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	c.get("/accounts/" + acct)
	_, page := c.submit("/accounts/"+acct+"/catalogue", nil)
	wantContains(t, page, "Catalogue refreshed: 2 assessment(s).")
	e.platform.AddAssessment("go-basics-2", "go basics")
	_, page = c.submit("/accounts/"+acct+"/catalogue", nil)
	wantContains(t, html.UnescapeString(page), `Catalogue not refreshed: the platform lists assessments whose titles differ only in case or spaces ("Go Basics" and "go basics")`)
	list, err := e.store.Assessments(context.Background(), acct)
	if err != nil || len(list) != 2 {
		t.Errorf("catalogue after the refused refresh: %v (%v), want the 2 stored before", list, err)
	}
}

func mustUpdate(t *testing.T, e *env, f func(a *store.Account)) {
	t.Helper()
	err := e.store.UpdateAccount(context.Background(), acct, func(a *store.Account) error { f(a); return nil })
	if err != nil {
		t.Fatal(err)
	}
}

// between returns the part of s after the first from, up to the next to.
func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, to)
	return before
}
