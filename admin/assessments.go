package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/catalogue"
	"github.com/assessbridge/assessbridge/store"
)

// refreshCatalogue replaces the account's catalogue with the platform's current list.
func (h *handler) refreshCatalogue(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID) + "#assessments"
	ctx, cancel := context.WithTimeout(r.Context(), actionTimeout)
	defer cancel()
	listed, err := h.deps.Platform.ListAssessments(ctx)
	if err != nil {
		h.flash(w, h.platformProblem("listing its assessments", err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	list := catalogue.FromPlatform(listed)
	if err := catalogue.Check(list); err != nil {
		h.log.Warn("admin catalogue refresh refused: titles differ only in case", zap.String("account_id", a.ID))
		h.flash(w, failure("Catalogue not refreshed: "+err.Error()+"."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	if err := h.deps.Store.ReplaceAssessments(ctx, a.ID, list); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin refreshed catalogue", zap.String("account_id", a.ID), zap.Int("assessments", len(list)))
	h.flash(w, success(fmt.Sprintf("Catalogue refreshed: %d assessment(s).", len(list))))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// maxIDLen bounds ids coming from forms; Lever and platform ids are far shorter.
const maxIDLen = 200

// saveMapping maps one posting to an assessment, or unmaps it when none is chosen.
func (h *handler) saveMapping(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	posting := strings.TrimSpace(r.PostForm.Get("posting"))
	assessmentID := strings.TrimSpace(r.PostForm.Get("assessment"))
	back := accountPath(a.ID)
	if q := strings.TrimSpace(r.PostForm.Get("q")); q != "" {
		back += "?" + url.Values{"q": {q}}.Encode()
	}
	back += "#assessments"
	if posting == "" || len(posting) > maxIDLen || len(assessmentID) > maxIDLen {
		h.flash(w, failure("Choose a posting and an assessment."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	var err error
	msg := "Posting unmapped: its candidates need a tag naming the assessment."
	if assessmentID == "" {
		err = h.deps.Store.UnmapPosting(r.Context(), a.ID, posting)
	} else {
		err = h.deps.Store.MapPosting(r.Context(), a.ID, posting, assessmentID)
		msg = "Posting mapped to " + h.assessmentTitle(r.Context(), a.ID, assessmentID) + "."
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin saved posting mapping", zap.String("account_id", a.ID), zap.String("posting_id", posting),
		zap.String("assessment_id", assessmentID))
	h.flash(w, append([]notice{success(msg)}, h.tagPosting(r.Context(), a, posting, assessmentID)...)...)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// tagPosting writes the mapping on the Lever posting, so recruiters see it in Lever: the tag
// assessment:<id> replaces any other assessment:<id> tag (none is left when unmapped). The
// mapping is saved either way; a failure is told, and a missing scope is recorded.
func (h *handler) tagPosting(ctx context.Context, a store.Account, postingID, assessmentID string) []notice {
	if !usable(a) {
		return []notice{hint("Connect the account to Lever so the posting also carries the mapping as a tag.")}
	}
	if a.PerformAs == "" {
		return []notice{hint("Choose the Lever user assessbridge acts as, so the posting also carries the mapping as a tag.")}
	}
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	lc, err := h.deps.Lever(ctx, a.ID)
	if err == nil {
		_, err = lc.UpdatePostingTags(ctx, postingID, func(tags []string) []string {
			tags = slices.DeleteFunc(tags, catalogue.IsOurPostingTag)
			if assessmentID != "" {
				tags = append(tags, catalogue.PostingTag(assessmentID))
			}
			return tags
		}, a.PerformAs)
	}
	if err != nil {
		n := h.accountLeverProblem(ctx, a.ID, "writing the mapping on the posting as a tag", err)
		n.Text = "The mapping is saved here, but the posting in Lever does not show it: " + n.Text
		return []notice{n}
	}
	return nil
}

// assessmentTitle names an assessment for messages, falling back to its id.
func (h *handler) assessmentTitle(ctx context.Context, accountID, id string) string {
	if as, err := h.deps.Store.AssessmentByID(ctx, accountID, id); err == nil {
		return as.Title
	}
	return id
}
