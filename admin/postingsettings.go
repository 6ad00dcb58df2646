package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/store"
)

// postingInput is one posting's threshold overrides as typed, for a rejected form.
type postingInput struct {
	PostingID, PassThreshold, ArchiveBelow string
}

// savePostingSettings stores one posting's pass and auto-archive thresholds; blank inputs use
// the account's, both blank removes the override.
func (h *handler) savePostingSettings(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	in := postingInput{
		PostingID:     strings.TrimSpace(r.PostForm.Get("posting")),
		PassThreshold: strings.TrimSpace(r.PostForm.Get("pass_threshold")),
		ArchiveBelow:  strings.TrimSpace(r.PostForm.Get("archive_below")),
	}
	back := accountPath(a.ID)
	if q := strings.TrimSpace(r.PostForm.Get("q")); q != "" {
		back += "?" + url.Values{"q": {q}}.Encode()
	}
	back += "#assessments"
	if in.PostingID == "" || len(in.PostingID) > maxIDLen {
		h.rejectPosting(w, r, a, in, []string{"choose a posting"})
		return
	}
	p := store.PostingSettings{AccountID: a.ID, PostingID: in.PostingID}
	var problems []string
	percent := func(v, what string) *float64 {
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		if err != nil {
			problems = append(problems, "the "+what+" must be a percentage from 0 to 100")
			return nil
		}
		return &f
	}
	p.PassThreshold = percent(in.PassThreshold, "pass threshold")
	p.ArchiveBelow = percent(in.ArchiveBelow, "auto-archive threshold")
	if len(problems) == 0 {
		problems = postingProblems(p.Validate())
	}
	if len(problems) == 0 {
		problems = postingProblems(a.WithPosting(p).ValidateCompletion())
	}
	if len(problems) > 0 {
		h.rejectPosting(w, r, a, in, problems)
		return
	}
	err := h.deps.Store.PutPostingSettings(r.Context(), p)
	if _, invalid := errors.AsType[*store.CompletionError](err); invalid {
		h.rejectPosting(w, r, a, in, postingProblems(err))
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin saved posting thresholds", zap.String("account_id", a.ID), zap.String("posting_id", p.PostingID),
		zap.Bool("pass_threshold", p.PassThreshold != nil), zap.Bool("auto_archive", p.ArchiveBelow != nil))
	msg := "Posting thresholds saved."
	if p.PassThreshold == nil && p.ArchiveBelow == nil {
		msg = "Posting thresholds cleared: the posting uses the account's."
	}
	h.flash(w, success(msg))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// postingProblems is completionProblems worded for a posting, whose archive reason is the
// account's.
func postingProblems(err error) []string {
	var out []string
	for _, e := range unjoin(err) {
		ce, ok := errors.AsType[*store.CompletionError](e)
		switch {
		case !ok:
		case ce.Field == "ArchiveReasonID":
			out = append(out, "auto-archive needs an archive reason: choose one under “When a candidate submits” first")
		default:
			out = append(out, ce.Error())
		}
	}
	if err != nil && len(out) == 0 {
		out = append(out, "the thresholds do not fit the account's settings")
	}
	return out
}

func (h *handler) rejectPosting(w http.ResponseWriter, r *http.Request, a store.Account, in postingInput, problems []string) {
	bands, err := h.storedBands(r.Context(), a.ID)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.renderAccount(w, r, http.StatusBadRequest, a, pageForms{bands: bands, posting: &in},
		[]notice{failure("Posting thresholds not saved: " + strings.Join(problems, "; ") + ".")})
}
