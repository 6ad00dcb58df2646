package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"go.uber.org/zap"

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
	list, err := h.deps.Platform.ListAssessments(ctx)
	if err != nil {
		h.flash(w, h.platformProblem("listing its assessments", err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	catalogue := make([]store.Assessment, 0, len(list))
	for _, as := range list {
		if as.ID != "" && as.Title != "" {
			catalogue = append(catalogue, store.Assessment{ID: as.ID, Title: as.Title})
		}
	}
	if err := h.deps.Store.ReplaceAssessments(ctx, a.ID, catalogue); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin refreshed catalogue", zap.String("account_id", a.ID), zap.Int("assessments", len(catalogue)))
	h.flash(w, success(fmt.Sprintf("Catalogue refreshed: %d assessment(s).", len(catalogue))))
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
	h.flash(w, success(msg))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// assessmentTitle names an assessment for messages, falling back to its id.
func (h *handler) assessmentTitle(ctx context.Context, accountID, id string) string {
	if as, err := h.deps.Store.AssessmentByID(ctx, accountID, id); err == nil {
		return as.Title
	}
	return id
}
