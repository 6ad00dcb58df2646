package devstack

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
)

// StatePath is the read-only view of what the simulators hold, served by both of them: HTML for
// a browser, JSON with ?format=json or Accept: application/json.
const StatePath = "/_sim/state"

// State is what the simulators hold now; it lives in memory and is gone after a restart.
type State struct {
	Accounts    []AccountState    `json:"accounts,omitempty"`
	Invitations []InvitationState `json:"invitations,omitempty"`
}

// AccountState is one simulated Lever account's opportunities.
type AccountState struct {
	ID            string             `json:"id"`
	Opportunities []OpportunityState `json:"opportunities"`
	Error         string             `json:"error,omitempty"`
}

// OpportunityState is what a recruiter would see on an opportunity in Lever.
type OpportunityState struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	StageID  string          `json:"stageId"`
	Archived bool            `json:"archived"`
	Tags     []string        `json:"tags"`
	Notes    []string        `json:"notes"`
	Feedback []FeedbackState `json:"feedback"`
}

// FeedbackState is a feedback form's rating and the values sent with it.
type FeedbackState struct {
	Rating string         `json:"rating"`
	Values map[string]any `json:"values"`
}

// InvitationState is a platform invitation.
type InvitationState struct {
	ID           string    `json:"id"`
	AssessmentID string    `json:"assessmentId"`
	Reference    string    `json:"reference"`
	Status       string    `json:"status"`
	Candidate    string    `json:"candidate"`
	Reminders    int       `json:"reminders"`
	CreatedAt    time.Time `json:"createdAt"`
}

// State reads both simulators. Lever's opportunities are listed through its own API, so
// candidates added since the start (applications) are there too.
func (s *Sims) State(ctx context.Context) State {
	var st State
	if s.Lever != nil {
		accounts := []struct{ id, bearer, apiKey string }{{DemoAccount, s.leverToken, ""}}
		if s.envKey != "" {
			accounts = append(accounts, struct{ id, bearer, apiKey string }{config.EnvAccountID, "", s.envKey})
		}
		for _, a := range accounts {
			st.Accounts = append(st.Accounts, s.accountState(ctx, a.id, a.bearer, a.apiKey))
		}
	}
	if s.Platform != nil {
		for _, inv := range s.Platform.Invitations() {
			st.Invitations = append(st.Invitations, InvitationState{ID: inv.ID, AssessmentID: inv.AssessmentID,
				Reference: inv.Reference, Status: inv.Status, Candidate: inv.Candidate.Name, Reminders: inv.Reminders, CreatedAt: inv.CreatedAt})
		}
	}
	return st
}

func (s *Sims) accountState(ctx context.Context, id, bearer, apiKey string) AccountState {
	as := AccountState{ID: id}
	auth := lever.WithAPIKey(apiKey)
	if bearer != "" {
		auth = lever.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer}))
	}
	lc, err := lever.New(s.LeverURL, auth, lever.WithRetry(1, 0, 0))
	if err != nil {
		as.Error = err.Error()
		return as
	}
	opps, err := lc.ListOpportunities(ctx, lever.OpportunityFilter{IncludeArchived: true})
	if err != nil {
		as.Error = err.Error()
		return as
	}
	slices.SortFunc(opps, func(a, b lever.Opportunity) int { return strings.Compare(a.ID, b.ID) })
	for _, o := range opps {
		view := OpportunityState{ID: o.ID, Name: o.Name, StageID: o.StageID, Archived: o.Archived != nil, Tags: o.Tags}
		if snap, ok := s.Lever.Snapshot(id, o.ID); ok {
			view.Tags = snap.Tags
			for _, n := range snap.Notes {
				view.Notes = append(view.Notes, n.Value)
			}
			for _, f := range snap.Feedback {
				view.Feedback = append(view.Feedback, FeedbackState{Rating: f.Rating, Values: f.Values})
			}
		}
		as.Opportunities = append(as.Opportunities, view)
	}
	return as
}

func (s *Sims) stateHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		st := s.State(ctx)
		if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json") {
			w.Header().Set("Content-Type", "application/json")
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			_ = enc.Encode(st)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := statePage.Execute(w, st); err != nil {
			http.Error(w, fmt.Sprintf("render: %v", err), http.StatusInternalServerError)
		}
	})
}

var statePage = template.Must(template.New("state").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>assessbridge simulators</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}</style>
</head><body>
<h1>What the simulators hold</h1>
<p>Read-only. The simulators keep everything in memory: a restart forgets it all and seeds the demo candidates afresh (Temporal keeps its workflows).</p>
{{range .Accounts}}<h2>Lever account {{.ID}}</h2>
{{if .Error}}<p>could not list: {{.Error}}</p>{{end}}
<table><tr><th>opportunity</th><th>name</th><th>stage</th><th>tags</th><th>notes</th><th>feedback</th></tr>
{{range .Opportunities}}<tr><td>{{.ID}}{{if .Archived}} (archived){{end}}</td><td>{{.Name}}</td><td>{{.StageID}}</td>
<td>{{range .Tags}}{{.}}<br>{{end}}</td><td>{{range .Notes}}<pre>{{.}}</pre>{{end}}</td><td>{{range .Feedback}}{{.Rating}}<br>{{end}}</td></tr>
{{end}}</table>
{{end}}
<h2>Platform invitations</h2>
<table><tr><th>id</th><th>assessment</th><th>candidate</th><th>status</th><th>reminders</th><th>workflow</th></tr>
{{range .Invitations}}<tr><td>{{.ID}}</td><td>{{.AssessmentID}}</td><td>{{.Candidate}}</td><td>{{.Status}}</td><td>{{.Reminders}}</td><td>{{.Reference}}</td></tr>
{{else}}<tr><td colspan="6">none</td></tr>{{end}}</table>
</body></html>
`))
