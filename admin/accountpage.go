package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/assessbridge/assessbridge/catalogue"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// pageLoadTimeout bounds the Lever and Temporal reads behind one page view, so a slow Lever
// shows up as a notice instead of a hanging page.
const pageLoadTimeout = 15 * time.Second

// maxPostingRows bounds the postings table; the search box narrows it down.
const maxPostingRows = 200

type accountView struct {
	ID, Name, Status, Credentials string
	TokenExpiry                   time.Time
	PerformAs                     string
	Usable                        bool // connected with credentials: Lever sections are live
	OAuthEnabled                  bool
	// MissingScopes are scopes Lever refused a call for (403) since the account was connected.
	MissingScopes []string

	Stages        []stageRow
	UnknownStages []string // saved trigger stages Lever no longer lists
	TriggerCount  int
	Webhooks      webhookView

	Query          string
	Postings       []postingRow
	PostingsCut    bool // more postings matched than are shown
	PostingsLoaded bool
	Assessments    []store.Assessment

	Bands       bandsForm
	Invitations invitationsForm
	Completion  completionForm
	// OrphanOverrides are posting thresholds of postings Lever does not list (any more).
	OrphanOverrides []postingRow

	Candidates      []candidateRow
	CandidatesError string
	HasUI           bool
}

type stageRow struct {
	ID, Text string
	Checked  bool
}

type webhookView struct {
	URL         string
	Events      []eventRow
	Manual      bool // show the by-hand path open: Lever refused the webhooks API
	TokenCount  int
	ManualSteps string
}

type eventRow struct {
	Event, Label string
	Registered   bool
}

type postingRow struct {
	ID, Text, AssessmentID string
	Options                []option
	// Chosen is the assessment this posting's candidates get (unless a candidate tag names
	// another), as the journey chooses it; Why says what chose it.
	Chosen, Why string
	// The posting's threshold overrides ("" = the account's), and the account's for placeholders.
	PassThreshold, ArchiveBelow string
	AccountPass, AccountArchive string
}

type option struct {
	Value, Text string
	Selected    bool
}

// eventLabels are the names Lever's settings page uses for our events' groups.
var eventLabels = map[string]string{
	lever.EventStageChange:   "Candidate Stage Change",
	lever.EventArchiveChange: "Candidate Archive State Change",
	lever.EventHired:         "Candidate Hired",
	lever.EventDeleted:       "Candidate Deleted",
	// Lever's settings page lists it on its own, not in a group.
	lever.EventApplicationCreated: "Application Created",
}

// superAdminStep is the one step Lever keeps for a person: registering a webhook through the
// API does not switch its event group on.
const superAdminStep = "A Lever Super Admin must switch on the event groups (Candidate Stage Change, " +
	"Candidate Archive State Change, Candidate Hired, Candidate Deleted) in Settings → Integrations and API → Webhooks."

// applicationStep is superAdminStep for the invitation on application.
const applicationStep = "For invitations on application, the Application Created webhook must be switched on there too."

func (h *handler) accountPage(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	notices := h.takeFlash(w, r)
	bands, err := h.storedBands(r.Context(), a.ID)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.renderAccount(w, r, http.StatusOK, a, pageForms{bands: bands}, notices)
}

// pageForms are the forms the account page shows as typed rather than as stored: a rejected
// form comes back with the admin's input. nil: as stored.
type pageForms struct {
	bands      bandsForm
	completion *completionForm
	posting    *postingInput
}

// renderAccount loads what the page shows from the store, Lever and Temporal. Lever and
// Temporal failures become notices; only store failures make it a 500.
func (h *handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, a store.Account, forms pageForms, notices []notice) {
	ctx, cancel := context.WithTimeout(r.Context(), pageLoadTimeout)
	defer cancel()
	v := accountView{
		ID: a.ID, Name: a.Name, Status: a.Status, Credentials: credentialKind(a), TokenExpiry: a.TokenExpiry,
		PerformAs: a.PerformAs, Usable: usable(a), OAuthEnabled: h.cfg.OAuth.Enabled(),
		TriggerCount: len(a.TriggerStages), Query: strings.TrimSpace(r.URL.Query().Get("q")),
		Bands: forms.bands, HasUI: h.cfg.UIURL != "", Invitations: invitationsOf(a), Completion: completionOf(a),
		Webhooks: webhookView{
			URL: h.webhookURL(a.ID), Manual: r.URL.Query().Get("webhooks") == "manual",
			TokenCount: len(a.WebhookTokens), ManualSteps: superAdminStep,
		},
	}
	if !hasCredentials(a) && v.Status == store.StatusConnected {
		v.Status = store.StatusDisconnected
	}
	var err error
	if v.Assessments, err = h.deps.Store.Assessments(ctx, a.ID); err != nil {
		h.internalError(w, r, err)
		return
	}
	if forms.completion != nil {
		v.Completion = *forms.completion
	}
	mappings, err := h.deps.Store.PostingMappings(ctx, a.ID)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	overrides, err := h.deps.Store.ListPostingSettings(ctx, a.ID)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	lists := postingLists{mappings: mappings, overrides: overrides, account: a, typed: forms.posting}

	var (
		wg         sync.WaitGroup
		candidates []candidateRow
		cErr       error
	)
	wg.Go(func() { candidates, cErr = h.recentCandidates(ctx, a.ID) })
	var (
		stages     []lever.Stage
		reasons    []lever.ArchiveReason
		reasonsErr string
	)
	if v.Usable {
		var more []notice
		more, stages, reasons, reasonsErr = h.loadFromLever(ctx, a, lists, &v)
		notices = append(notices, more...)
	}
	v.Completion.withChoices(stages, reasons, reasonsErr)
	if !v.PostingsLoaded {
		v.OrphanOverrides = lists.orphans(nil)
	}
	// Read after the Lever calls, which may have recorded more.
	if v.MissingScopes, err = h.deps.Store.MissingScopes(ctx, a.ID); err != nil {
		wg.Wait()
		h.internalError(w, r, err)
		return
	}
	wg.Wait()
	v.Candidates, v.CandidatesError = candidates, h.candidatesProblem(a.ID, cErr)

	h.render(w, r, status, "account", view{
		Title: a.Name, CSRF: h.csrfToken(sessionFrom(r.Context())), SignedIn: true, Notices: notices, Body: v,
	})
}

// loadFromLever fills the stages, postings and webhook sections with four concurrent reads,
// and returns the stages and archive reasons for the completion section. Each failure becomes a
// notice and leaves its section empty; a failed archive reason list is told in its section. A
// missing scope is recorded for the connection section; a revocation (after the client's token
// refresh) marks the account disconnected and empties every section.
func (h *handler) loadFromLever(ctx context.Context, a store.Account, lists postingLists, v *accountView) (
	notices []notice, stages []lever.Stage, reasons []lever.ArchiveReason, reasonsErr string) {
	lc, err := h.deps.Lever(ctx, a.ID)
	if err != nil {
		v.Usable = false
		return []notice{h.accountLeverProblem(ctx, a.ID, "preparing the Lever client", err)}, nil, nil, ""
	}
	var (
		wg                       sync.WaitGroup
		postings                 []lever.Posting
		hooks                    []lever.WebhookConfig
		stagesErr, postErr, hErr error
		rErr                     error
	)
	wg.Go(func() { stages, stagesErr = lc.ListStages(ctx) })
	wg.Go(func() { postings, postErr = lc.ListPostings(ctx) })
	wg.Go(func() { hooks, hErr = lc.ListWebhooks(ctx) })
	wg.Go(func() { reasons, rErr = lc.ListArchiveReasons(ctx) })
	wg.Wait()
	for _, err := range []error{stagesErr, postErr, hErr, rErr} {
		if errors.Is(err, lever.ErrAccessRevoked) {
			v.Usable, v.Status = false, store.StatusDisconnected
			return []notice{h.accountLeverProblem(ctx, a.ID, "reading the account from Lever", err)}, nil, nil, ""
		}
	}
	if rErr != nil {
		reasonsErr = h.accountLeverProblem(ctx, a.ID, "listing archive reasons", rErr).Text
	}

	if stagesErr != nil {
		notices = append(notices, h.accountLeverProblem(ctx, a.ID, "listing stages", stagesErr))
	} else {
		v.Stages, v.UnknownStages = stageRows(stages, a.TriggerStages)
	}
	if postErr != nil {
		notices = append(notices, h.accountLeverProblem(ctx, a.ID, "listing postings", postErr))
	} else {
		v.PostingsLoaded = true
		v.Postings, v.PostingsCut = postingRows(postings, v.Query, lists, v.Assessments)
		v.OrphanOverrides = lists.orphans(postings)
	}
	switch {
	case isForbidden(hErr): // the API may not read webhooks here: only the by-hand path is left
		v.Webhooks.Manual = true
		h.noteLeverError(ctx, a.ID, hErr) // the connection section names the scope
	case hErr != nil:
		notices = append(notices, h.accountLeverProblem(ctx, a.ID, "listing webhooks", hErr))
	default:
		events := ourEvents
		if a.InviteOnApplication {
			events = managedEvents
		}
		v.Webhooks.Events = h.eventRows(a.ID, events, hooks)
	}
	return notices, stages, reasons, reasonsErr
}

// stageRows marks the saved trigger stages; saved ids Lever no longer lists come back apart.
func stageRows(stages []lever.Stage, trigger []string) ([]stageRow, []string) {
	rows := make([]stageRow, 0, len(stages))
	known := map[string]bool{}
	for _, s := range stages {
		known[s.ID] = true
		rows = append(rows, stageRow{ID: s.ID, Text: s.Text, Checked: slices.Contains(trigger, s.ID)})
	}
	var unknown []string
	for _, id := range trigger {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	return rows, unknown
}

// postingLists is what the store holds per posting, for the postings table.
type postingLists struct {
	mappings  []store.PostingMapping
	overrides []store.PostingSettings
	account   store.Account
	typed     *postingInput // a rejected threshold form, shown as typed
}

// row is the posting's row without its mapping options.
func (l postingLists) row(id, text string) postingRow {
	row := postingRow{ID: id, Text: text,
		AccountPass: percentText(l.account.PassThreshold), AccountArchive: percentText(l.account.ArchiveBelow)}
	for _, m := range l.mappings {
		if m.PostingID == id {
			row.AssessmentID = m.AssessmentID
		}
	}
	for _, o := range l.overrides {
		if o.PostingID == id {
			row.PassThreshold, row.ArchiveBelow = percentText(o.PassThreshold), percentText(o.ArchiveBelow)
		}
	}
	if l.typed != nil && l.typed.PostingID == id {
		row.PassThreshold, row.ArchiveBelow = l.typed.PassThreshold, l.typed.ArchiveBelow
	}
	return row
}

// orphans are rows for overrides of postings not among listed, so they can still be cleared.
func (l postingLists) orphans(listed []lever.Posting) []postingRow {
	var rows []postingRow
	for _, o := range l.overrides {
		if !slices.ContainsFunc(listed, func(p lever.Posting) bool { return p.ID == o.PostingID }) {
			rows = append(rows, l.row(o.PostingID, ""))
		}
	}
	return rows
}

// postingRows filters postings by q (title or id, case-insensitive) and pairs each with its
// mapping's <select> options and its threshold overrides.
func postingRows(postings []lever.Posting, q string, lists postingLists, list []store.Assessment) ([]postingRow, bool) {
	q = strings.ToLower(q)
	cat := catalogue.New(list)
	var rows []postingRow
	for _, p := range postings {
		if q != "" && !strings.Contains(strings.ToLower(p.Text), q) && !strings.Contains(strings.ToLower(p.ID), q) {
			continue
		}
		if len(rows) == maxPostingRows {
			return rows, true
		}
		row := lists.row(p.ID, p.Text)
		row.Options = assessmentOptions(list, row.AssessmentID)
		row.Chosen, row.Why = chosenFor(cat.ForPosting(p.Tags, row.AssessmentID))
		rows = append(rows, row)
	}
	return rows, false
}

// chosenFor words a posting's choice for the postings table.
func chosenFor(ch catalogue.Choice) (chosen, why string) {
	switch ch.Source {
	case catalogue.SourcePostingTitle:
		return ch.Assessment.Title, fmt.Sprintf("Lever posting tag %q (a title)", ch.Tag)
	case catalogue.SourcePostingID:
		return ch.Assessment.Title, fmt.Sprintf("Lever posting tag %q (an id)", ch.Tag)
	case catalogue.SourceMapping:
		return ch.Assessment.Title, "the mapping saved here"
	}
	if ch.MissingID != "" {
		return "— none —", "mapped to " + ch.MissingID + ", which is not in the catalogue"
	}
	return "— none —", "only candidates tagged with an assessment's title are invited"
}

func assessmentOptions(list []store.Assessment, selected string) []option {
	opts := []option{{Value: "", Text: "— none —", Selected: selected == ""}}
	found := selected == ""
	for _, a := range list {
		opts = append(opts, option{Value: a.ID, Text: a.Title, Selected: a.ID == selected})
		found = found || a.ID == selected
	}
	if !found {
		opts = append(opts, option{Value: selected, Text: selected + " (not in the catalogue)", Selected: true})
	}
	return opts
}
