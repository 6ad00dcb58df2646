package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// completionForm is the "When a candidate submits" section: the values as typed, so a rejected
// form comes back with the admin's input, and the choices Lever lists.
type completionForm struct {
	Stage, PassStage, FailStage, Reason     string // Lever ids, "" = off
	PassThreshold, ArchiveBelow, GraceHours string // as typed; "" = off (grace: the default)
	UploadReport, InviteOnApplication       bool

	StageOptions, PassStageOptions, FailStageOptions []option
	ReasonOptions                                    []option
	// ReasonsError: Lever did not list the archive reasons; the page offers a text input.
	ReasonsError      string
	DefaultGraceHours string
	Error             string
}

func completionOf(a store.Account) completionForm {
	f := completionForm{
		Stage: a.CompletionStageID, PassStage: a.PassStageID, FailStage: a.FailStageID, Reason: a.ArchiveReasonID,
		PassThreshold: percentText(a.PassThreshold), ArchiveBelow: percentText(a.ArchiveBelow),
		UploadReport: a.UploadReport, InviteOnApplication: a.InviteOnApplication,
	}
	if a.ArchiveGrace > 0 {
		f.GraceHours = strconv.FormatFloat(a.ArchiveGrace.Hours(), 'f', -1, 64)
	}
	return f
}

func percentText(p *float64) string {
	if p == nil {
		return ""
	}
	return store.FormatPercent(*p)
}

// withChoices fills the selects from what Lever listed; ids Lever no longer lists stay
// selectable, marked, so saving other fields does not drop them silently.
func (f *completionForm) withChoices(stages []lever.Stage, reasons []lever.ArchiveReason, reasonsErr string) {
	f.StageOptions = stageOptions(stages, f.Stage, "— don't move —")
	f.PassStageOptions = stageOptions(stages, f.PassStage, "— the stage above —")
	f.FailStageOptions = stageOptions(stages, f.FailStage, "— the stage above —")
	f.ReasonsError = reasonsErr
	f.ReasonOptions = []option{{Value: "", Text: "— choose a reason —", Selected: f.Reason == ""}}
	found := f.Reason == ""
	for _, r := range reasons {
		if r.Type == lever.ArchiveReasonHired {
			continue // archiving a low score as hired would tell Lever the opposite
		}
		f.ReasonOptions = append(f.ReasonOptions, option{Value: r.ID, Text: r.Text, Selected: r.ID == f.Reason})
		found = found || r.ID == f.Reason
	}
	if !found {
		f.ReasonOptions = append(f.ReasonOptions, option{Value: f.Reason, Text: f.Reason + " (not listed by Lever)", Selected: true})
	}
	f.DefaultGraceHours = strconv.FormatFloat(store.DefaultArchiveGrace.Hours(), 'f', -1, 64)
}

func stageOptions(stages []lever.Stage, selected, none string) []option {
	opts := []option{{Value: "", Text: none, Selected: selected == ""}}
	found := selected == ""
	for _, s := range stages {
		opts = append(opts, option{Value: s.ID, Text: s.Text, Selected: s.ID == selected})
		found = found || s.ID == selected
	}
	if !found {
		opts = append(opts, option{Value: selected, Text: selected + " (not listed by Lever)", Selected: true})
	}
	return opts
}

// parseCompletion reads the form into f (as typed) and into the account's fields. Values that do
// not parse come back as problems; the combination is checked by store.ValidateCompletion.
func parseCompletion(r *http.Request, a *store.Account) (completionForm, []string) {
	get := func(name string) string { return strings.TrimSpace(r.PostForm.Get(name)) }
	f := completionForm{
		Stage: get("completion_stage"), PassStage: get("pass_stage"), FailStage: get("fail_stage"), Reason: get("archive_reason"),
		PassThreshold: get("pass_threshold"), ArchiveBelow: get("archive_below"), GraceHours: get("grace_hours"),
		UploadReport: r.PostForm.Get("upload_report") != "", InviteOnApplication: r.PostForm.Get("invite_on_application") != "",
	}
	var problems []string
	for _, id := range []string{f.Stage, f.PassStage, f.FailStage, f.Reason} {
		if len(id) > maxIDLen || strings.ContainsFunc(id, func(c rune) bool { return c <= ' ' || c == 0x7f }) {
			problems = append(problems, "a stage or reason id is malformed; reload the page")
			break
		}
	}
	percent := func(v, what string) *float64 {
		if v == "" {
			return nil
		}
		p, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, "%")), 64)
		if err != nil {
			problems = append(problems, "the "+what+" must be a percentage from 0 to 100")
			return nil
		}
		return &p
	}
	a.CompletionStageID, a.PassStageID, a.FailStageID, a.ArchiveReasonID = f.Stage, f.PassStage, f.FailStage, f.Reason
	a.PassThreshold = percent(f.PassThreshold, "pass threshold")
	a.ArchiveBelow = percent(f.ArchiveBelow, "auto-archive threshold")
	a.ArchiveGrace = 0
	if f.GraceHours != "" {
		hours, err := strconv.ParseFloat(f.GraceHours, 64)
		if err != nil || hours <= 0 {
			problems = append(problems, "the archive grace period must be a number of hours from 1 to 720")
		} else {
			a.ArchiveGrace = time.Duration(hours * float64(time.Hour)).Round(time.Minute)
		}
	}
	a.UploadReport, a.InviteOnApplication = f.UploadReport, f.InviteOnApplication
	return f, problems
}

// saveCompletion stores what happens when a candidate submits. Turning the invitation on
// application on (or off) makes Lever's webhooks follow.
func (h *handler) saveCompletion(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID) + "#completion"
	ctx, cancel := context.WithTimeout(r.Context(), actionTimeout)
	defer cancel()
	next := a
	form, problems := parseCompletion(r, &next)
	if len(problems) == 0 {
		problems = append(problems, completionProblems(next.ValidateCompletion())...)
		problems = append(problems, h.postingConflicts(ctx, next)...)
	}
	if len(problems) == 0 {
		problems = append(problems, h.checkLeverIDs(ctx, a, next)...)
	}
	if len(problems) > 0 {
		h.rejectCompletion(w, r, a, form, problems)
		return
	}
	var saved store.Account
	err := h.deps.Store.UpdateAccount(ctx, a.ID, func(cur *store.Account) error {
		cur.CompletionStageID, cur.PassThreshold, cur.PassStageID, cur.FailStageID = next.CompletionStageID, next.PassThreshold, next.PassStageID, next.FailStageID
		cur.ArchiveBelow, cur.ArchiveReasonID, cur.ArchiveGrace = next.ArchiveBelow, next.ArchiveReasonID, next.ArchiveGrace
		cur.UploadReport, cur.InviteOnApplication = next.UploadReport, next.InviteOnApplication
		saved = *cur
		return nil
	})
	if _, invalid := errors.AsType[*store.CompletionError](err); invalid {
		h.rejectCompletion(w, r, a, form, completionProblems(err))
		return
	}
	if err != nil {
		h.internalError(w, r, fmt.Errorf("save completion settings of %s: %w", a.ID, err))
		return
	}
	h.log.Info("admin saved completion settings", zap.String("account_id", a.ID),
		zap.Bool("move", saved.CompletionStageID != "" || saved.PassStageID != "" || saved.FailStageID != ""),
		zap.Bool("pass_threshold", saved.PassThreshold != nil), zap.Bool("auto_archive", saved.ArchiveBelow != nil),
		zap.Bool("upload_report", saved.UploadReport), zap.Bool("invite_on_application", saved.InviteOnApplication))
	notices := []notice{success("Settings for submissions saved; they apply to candidates who submit from now on.")}
	if saved.InviteOnApplication || a.InviteOnApplication {
		more, manual, err := h.syncApplicationWebhook(ctx, saved)
		if err != nil {
			h.internalError(w, r, err)
			return
		}
		notices = append(notices, more...)
		if manual {
			back = accountPath(a.ID) + "?webhooks=manual#webhooks"
		}
	}
	if saved.InviteOnApplication {
		if mappings, err := h.deps.Store.PostingMappings(ctx, a.ID); err == nil && len(mappings) == 0 {
			notices = append(notices, hint("Invitations on application go out only for postings mapped to an assessment; none is mapped yet."))
		}
	}
	h.flash(w, notices...)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// syncApplicationWebhook makes the account's webhooks follow its settings after the invitation
// on application was switched, when Lever can be reached.
func (h *handler) syncApplicationWebhook(ctx context.Context, a store.Account) ([]notice, bool, error) {
	if !usable(a) {
		return []notice{hint("Connect the account to Lever so assessbridge can register the Application Created webhook.")}, false, nil
	}
	lc, err := h.deps.Lever(ctx, a.ID)
	if err != nil {
		return []notice{h.accountLeverProblem(ctx, a.ID, "preparing the Lever client", err)}, false, nil
	}
	return h.syncAndSave(ctx, a.ID, lc, wantedEvents(a))
}

func (h *handler) rejectCompletion(w http.ResponseWriter, r *http.Request, a store.Account, form completionForm, problems []string) {
	form.Error = "Not saved: " + strings.Join(problems, "; ") + "."
	bands, err := h.storedBands(r.Context(), a.ID)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.renderAccount(w, r, http.StatusBadRequest, a, pageForms{bands: bands, completion: &form},
		[]notice{failure("Settings for submissions not saved: " + strings.Join(problems, "; ") + ".")})
}

// completionProblems turns ValidateCompletion's errors into sentences for the page.
func completionProblems(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, e := range unjoin(err) {
		if ce, ok := errors.AsType[*store.CompletionError](e); ok {
			out = append(out, ce.Error())
		}
	}
	if len(out) == 0 {
		out = append(out, "the settings do not fit together")
	}
	return out
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if wrapped := errors.Unwrap(err); wrapped != nil {
		return unjoin(wrapped)
	}
	return []error{err}
}

// postingConflicts checks each posting's overrides against the account's new settings.
func (h *handler) postingConflicts(ctx context.Context, a store.Account) []string {
	overrides, err := h.deps.Store.ListPostingSettings(ctx, a.ID)
	if err != nil {
		return nil // the store check on save, and the page, report a broken store
	}
	var out []string
	for _, p := range overrides {
		for _, problem := range completionProblems(a.WithPosting(p).ValidateCompletion()) {
			out = append(out, fmt.Sprintf("with the thresholds of posting %s, %s", p.PostingID, problem))
		}
	}
	return out
}

// checkLeverIDs makes sure changed stage and reason ids are ones Lever lists (and the reason is
// not a hired one). Unchanged ids are not checked, so an edit elsewhere never fails on them;
// when Lever cannot list them the ids are taken as given (the page then offers a text input).
func (h *handler) checkLeverIDs(ctx context.Context, old, next store.Account) []string {
	changedStages := map[string]string{}
	for _, s := range []struct{ what, before, after string }{
		{"stage to move to", old.CompletionStageID, next.CompletionStageID},
		{"stage for passes", old.PassStageID, next.PassStageID},
		{"stage for fails", old.FailStageID, next.FailStageID},
	} {
		if s.after != "" && s.after != s.before {
			changedStages[s.what] = s.after
		}
	}
	reasonChanged := next.ArchiveReasonID != "" && next.ArchiveReasonID != old.ArchiveReasonID
	if (len(changedStages) == 0 && !reasonChanged) || !usable(old) {
		return nil
	}
	lc, err := h.deps.Lever(ctx, old.ID)
	if err != nil {
		return nil
	}
	var (
		wg                   sync.WaitGroup
		stages               []lever.Stage
		reasons              []lever.ArchiveReason
		stagesErr, reasonErr error
	)
	if len(changedStages) > 0 {
		wg.Go(func() { stages, stagesErr = lc.ListStages(ctx) })
	}
	if reasonChanged {
		wg.Go(func() { reasons, reasonErr = lc.ListArchiveReasons(ctx) })
	}
	wg.Wait()
	// Unlisted ids are taken as given, but what the failures say about the account is kept.
	for _, err := range []error{stagesErr, reasonErr} {
		if err != nil {
			h.noteLeverError(ctx, old.ID, err)
		}
	}
	var problems []string
	if len(changedStages) > 0 && stagesErr == nil {
		for _, what := range []string{"stage to move to", "stage for passes", "stage for fails"} {
			id, changed := changedStages[what]
			if changed && !slices.ContainsFunc(stages, func(s lever.Stage) bool { return s.ID == id }) {
				problems = append(problems, fmt.Sprintf("the %s is not one of the account's Lever stages", what))
			}
		}
	}
	if reasonChanged && reasonErr == nil {
		i := slices.IndexFunc(reasons, func(x lever.ArchiveReason) bool { return x.ID == next.ArchiveReasonID })
		switch {
		case i < 0:
			problems = append(problems, "the archive reason is not one of the account's Lever archive reasons")
		case reasons[i].Type == lever.ArchiveReasonHired:
			problems = append(problems, "the archive reason is one for hired candidates; choose a non-hired one")
		}
	}
	return problems
}
