package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

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
}

// superAdminStep is the one step Lever keeps for a person: registering a webhook through the
// API does not switch its event group on.
const superAdminStep = "A Lever Super Admin must switch on the event groups (Candidate Stage Change, " +
	"Candidate Archive State Change, Candidate Hired, Candidate Deleted) in Settings → Integrations and API → Webhooks."

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
	h.renderAccount(w, r, http.StatusOK, a, bands, notices)
}

// renderAccount loads what the page shows from the store, Lever and Temporal. Lever and
// Temporal failures become notices; only store failures make it a 500.
func (h *handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, a store.Account, bands bandsForm, notices []notice) {
	ctx, cancel := context.WithTimeout(r.Context(), pageLoadTimeout)
	defer cancel()
	v := accountView{
		ID: a.ID, Name: a.Name, Status: a.Status, Credentials: credentialKind(a), TokenExpiry: a.TokenExpiry,
		PerformAs: a.PerformAs, Usable: usable(a), OAuthEnabled: h.cfg.OAuth.Enabled(),
		TriggerCount: len(a.TriggerStages), Query: strings.TrimSpace(r.URL.Query().Get("q")),
		Bands: bands, HasUI: h.cfg.UIURL != "", Invitations: invitationsOf(a),
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
	mappings, err := h.deps.Store.PostingMappings(ctx, a.ID)
	if err != nil {
		h.internalError(w, r, err)
		return
	}

	var (
		wg         sync.WaitGroup
		candidates []candidateRow
		cErr       error
	)
	wg.Go(func() { candidates, cErr = h.recentCandidates(ctx, a.ID) })
	if v.Usable {
		notices = append(notices, h.loadFromLever(ctx, a, mappings, &v)...)
	}
	wg.Wait()
	v.Candidates, v.CandidatesError = candidates, h.candidatesProblem(a.ID, cErr)

	h.render(w, r, status, "account", view{
		Title: a.Name, CSRF: h.csrfToken(sessionFrom(r.Context())), SignedIn: true, Notices: notices, Body: v,
	})
}

// loadFromLever fills the stages, postings and webhook sections with three concurrent reads.
// Each failure becomes a notice and leaves its section empty.
func (h *handler) loadFromLever(ctx context.Context, a store.Account, mappings []store.PostingMapping, v *accountView) []notice {
	lc, err := h.deps.Lever(ctx, a.ID)
	if err != nil {
		v.Usable = false
		return []notice{h.leverProblem(a.ID, "preparing the Lever client", err)}
	}
	var (
		wg                       sync.WaitGroup
		stages                   []lever.Stage
		postings                 []lever.Posting
		hooks                    []lever.WebhookConfig
		stagesErr, postErr, hErr error
	)
	wg.Go(func() { stages, stagesErr = lc.ListStages(ctx) })
	wg.Go(func() { postings, postErr = lc.ListPostings(ctx) })
	wg.Go(func() { hooks, hErr = lc.ListWebhooks(ctx) })
	wg.Wait()

	var notices []notice
	if stagesErr != nil {
		notices = append(notices, h.leverProblem(a.ID, "listing stages", stagesErr))
	} else {
		v.Stages, v.UnknownStages = stageRows(stages, a.TriggerStages)
	}
	if postErr != nil {
		notices = append(notices, h.leverProblem(a.ID, "listing postings", postErr))
	} else {
		v.PostingsLoaded = true
		v.Postings, v.PostingsCut = postingRows(postings, v.Query, mappings, v.Assessments)
	}
	switch {
	case isForbidden(hErr): // the API may not read webhooks here: only the by-hand path is left
		v.Webhooks.Manual = true
	case hErr != nil:
		notices = append(notices, h.leverProblem(a.ID, "listing webhooks", hErr))
	default:
		v.Webhooks.Events = h.eventRows(a.ID, hooks)
	}
	return notices
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

// postingRows filters postings by q (title or id, case-insensitive) and pairs each with its
// mapping's <select> options.
func postingRows(postings []lever.Posting, q string, mappings []store.PostingMapping, catalogue []store.Assessment) ([]postingRow, bool) {
	mapped := map[string]string{}
	for _, m := range mappings {
		mapped[m.PostingID] = m.AssessmentID
	}
	q = strings.ToLower(q)
	var rows []postingRow
	for _, p := range postings {
		if q != "" && !strings.Contains(strings.ToLower(p.Text), q) && !strings.Contains(strings.ToLower(p.ID), q) {
			continue
		}
		if len(rows) == maxPostingRows {
			return rows, true
		}
		rows = append(rows, postingRow{ID: p.ID, Text: p.Text, AssessmentID: mapped[p.ID], Options: assessmentOptions(catalogue, mapped[p.ID])})
	}
	return rows, false
}

func assessmentOptions(catalogue []store.Assessment, selected string) []option {
	opts := []option{{Value: "", Text: "— none —", Selected: selected == ""}}
	found := selected == ""
	for _, a := range catalogue {
		opts = append(opts, option{Value: a.ID, Text: a.Title, Selected: a.ID == selected})
		found = found || a.ID == selected
	}
	if !found {
		opts = append(opts, option{Value: selected, Text: selected + " (not in the catalogue)", Selected: true})
	}
	return opts
}
