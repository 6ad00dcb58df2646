package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

func TestInvitationSettings(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	_, page := c.get("/accounts/" + acct)
	wantContains(t, page, `name="remind_days" value="3"`)
	wantContains(t, page, `name="expire_days" value="7"`)

	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"reminder after expiry", url.Values{"remind_days": {"8"}, "expire_days": {"7"}, "reinvite_days": {"30"}, "policy": {"never"}}, "the reminder must come before the expiry"},
		{"not a number", url.Values{"remind_days": {"soon"}, "expire_days": {"7"}, "reinvite_days": {"30"}, "policy": {"never"}}, "remind days must be a number"},
		{"unknown policy", url.Values{"remind_days": {"1"}, "expire_days": {"7"}, "reinvite_days": {"30"}, "policy": {"sometimes"}}, "choose a re-invite policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, page := c.submit("/accounts/"+acct+"/invitations", tt.form)
			wantContains(t, page, tt.want)
		})
	}
	if a := e.account(acct); a.RemindAfter != 0 || a.ReinvitePolicy != store.ReinviteNever {
		t.Errorf("after rejected forms: got remind %s policy %q, want nothing saved", a.RemindAfter, a.ReinvitePolicy)
	}
	_, page = c.submit("/accounts/"+acct+"/invitations", url.Values{"remind_days": {"0.5"}, "expire_days": {"2"}, "reinvite_days": {"14"}, "policy": {"after"}})
	wantContains(t, page, "Invitation settings saved")
	a := e.account(acct)
	if a.RemindAfter != 12*time.Hour || a.ExpireAfter != 48*time.Hour || a.ReinvitePolicy != store.ReinviteAfterN || a.ReinviteAfter != 14*24*time.Hour {
		t.Errorf("saved: got remind %s, expire %s, policy %q after %s", a.RemindAfter, a.ExpireAfter, a.ReinvitePolicy, a.ReinviteAfter)
	}
}

func TestCandidateActions(t *testing.T) {
	e := newEnv(t)
	e.addAccount(acct, true)
	c := e.loggedIn()
	c.get("/accounts/" + acct) // the page the buttons are on (its CSRF token)
	_, page := c.submit("/accounts/"+acct+"/candidates/opp-none/reinvite", url.Values{})
	wantContains(t, page, "journey is not running")
	_, page = c.submit("/accounts/"+acct+"/candidates/opp-none/purge", url.Values{})
	wantContains(t, page, "Purge started")
	res, _ := c.post("/accounts/"+acct+"/candidates/bad%20id/reinvite", url.Values{})
	wantStatus(t, res, 400)
	_, page = c.get("/accounts/" + acct + "/candidates/opp-none")
	wantContains(t, page, "No journey found")
}

// Operator signals are tested against a stand-in journey: the harness runs no
// CandidateAssessment worker, so journeyRecorder takes the journey's workflow ID, answers the
// status query with the status it was started with, and records the signals it receives.
const (
	recorderWorkflow = "admin-test-journey"
	recorderQueue    = "admin-test-journey"
	querySignals     = "signals"
)

// receivedSignals is what journeyRecorder got, in order.
type receivedSignals struct {
	Extends []workflows.ExtendSignal
	Keeps   []workflows.KeepSignal
}

func journeyRecorder(ctx workflow.Context, st workflows.Status) error {
	var got receivedSignals
	if err := workflow.SetQueryHandler(ctx, workflows.QueryStatus, func() (workflows.Status, error) { return st, nil }); err != nil {
		return err
	}
	if err := workflow.SetQueryHandler(ctx, querySignals, func() (receivedSignals, error) { return got, nil }); err != nil {
		return err
	}
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(workflow.GetSignalChannel(ctx, workflows.SignalExtend), func(c workflow.ReceiveChannel, _ bool) {
		var s workflows.ExtendSignal
		c.Receive(ctx, &s)
		got.Extends = append(got.Extends, s)
	})
	sel.AddReceive(workflow.GetSignalChannel(ctx, workflows.SignalKeep), func(c workflow.ReceiveChannel, _ bool) {
		var s workflows.KeepSignal
		c.Receive(ctx, &s)
		got.Keeps = append(got.Keeps, s)
	})
	for {
		sel.Select(ctx)
	}
}

// journeys runs journeyRecorder for one test under a fresh account (the Temporal server
// outlives one run under -count, and its visibility keeps every workflow).
type journeys struct {
	t       *testing.T
	account string
}

func newJourneys(t *testing.T, e *env) journeys {
	t.Helper()
	w := worker.New(tsrv.GetDefaultClient(), recorderQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(journeyRecorder, workflow.RegisterOptions{Name: recorderWorkflow})
	if err := w.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	t.Cleanup(w.Stop)
	suffix := make([]byte, 4)
	rand.Read(suffix)
	j := journeys{t: t, account: "sig-" + hex.EncodeToString(suffix)}
	e.addAccount(j.account, false)
	return j
}

// start runs a stand-in journey for opp at st.Step; the AssessmentStatus search attribute says
// the same step, as the real workflow's does.
func (j journeys) start(opp string, st workflows.Status) string {
	j.t.Helper()
	id := workflows.WorkflowID(j.account, opp)
	tc := tsrv.GetDefaultClient()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: recorderQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.AttrAccount.ValueSet(j.account), workflows.AttrOpportunity.ValueSet(opp),
			workflows.AttrStatus.ValueSet(st.Step)),
	}, recorderWorkflow, st)
	if err != nil {
		j.t.Fatalf("start journey: %v", err)
	}
	j.t.Cleanup(func() { tc.TerminateWorkflow(context.Background(), id, "", "test over") })
	return id
}

// received asks a stand-in journey which signals reached it.
func (j journeys) received(id string) receivedSignals {
	j.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := tsrv.GetDefaultClient().QueryWorkflow(ctx, id, "", querySignals)
	var got receivedSignals
	if err == nil {
		err = res.Get(&got)
	}
	if err != nil {
		j.t.Fatalf("query signals of %s: %v", id, err)
	}
	return got
}

func (j journeys) path(opp, action string) string {
	p := "/accounts/" + j.account + "/candidates/" + opp
	if action != "" {
		p += "/" + action
	}
	return p
}

func TestExtendDeadline(t *testing.T) {
	e := newEnv(t)
	j := newJourneys(t, e)
	expires := time.Date(2030, 1, 2, 15, 4, 0, 0, time.UTC)
	id := j.start("opp-extend", workflows.Status{Step: workflows.StepInvited, ExpiresAt: expires, Extensions: 2})
	c := e.loggedIn()

	_, page := c.get(j.path("opp-extend", ""))
	for _, want := range []string{`id="extend"`, `name="days" value="3" min="1" max="30"`, "2030-01-02 15:04 UTC", "extended 2×"} {
		wantContains(t, page, want)
	}
	if strings.Contains(page, `id="keep"`) {
		t.Errorf("invited journey: page offers Keep, want only Extend")
	}

	for _, days := range []string{"0", "31", "-2", "2.5", "soon"} {
		t.Run("days "+days, func(t *testing.T) {
			res, body := c.post(j.path("opp-extend", "extend"), url.Values{"days": {days}})
			wantStatus(t, res, http.StatusBadRequest)
			wantContains(t, body, "whole number of days from 1 to 30")
		})
	}

	_, page = c.submit(j.path("opp-extend", "extend"), url.Values{"days": {"5"}})
	wantContains(t, page, "Extension sent: the invitation&#39;s deadline moves 5 day(s) later")
	wantContains(t, page, `id="step">invited<`)                      // back on the candidate page
	_, page = c.submit(j.path("opp-extend", "extend"), url.Values{}) // no days: the default
	wantContains(t, page, "moves 3 day(s) later")

	want := []workflows.ExtendSignal{
		{By: 5 * 24 * time.Hour, Reason: "extended from the admin page"},
		{By: 3 * 24 * time.Hour, Reason: "extended from the admin page"},
	}
	if got := j.received(id); !slices.Equal(got.Extends, want) || len(got.Keeps) != 0 {
		t.Errorf("signals received: got %+v, want extends %+v and no keep", got, want)
	}
}

func TestKeepFromArchive(t *testing.T) {
	e := newEnv(t)
	j := newJourneys(t, e)
	archiveAt := time.Date(2030, 3, 4, 5, 6, 0, 0, time.UTC)
	id := j.start("opp-keep", workflows.Status{Step: workflows.StepArchivePending, ArchiveAt: archiveAt, Verdict: "failed"})
	c := e.loggedIn()

	_, page := c.get(j.path("opp-keep", ""))
	for _, want := range []string{`id="keep"`, "will be archived on 2030-03-04 05:06 UTC", `id="verdict">failed<`} {
		wantContains(t, page, want)
	}
	if strings.Contains(page, `id="extend"`) {
		t.Errorf("archive-pending journey: page offers Extend, want only Keep")
	}

	_, page = c.submit(j.path("opp-keep", "keep"), url.Values{})
	wantContains(t, page, "Kept: the candidate will not be archived automatically.")
	want := []workflows.KeepSignal{{Reason: "kept from the admin page"}}
	if got := j.received(id); !slices.Equal(got.Keeps, want) || len(got.Extends) != 0 {
		t.Errorf("signals received: got %+v, want keeps %+v and no extension", got, want)
	}
}

// TestSignalRefused: a stale page or a typed URL cannot extend or keep at the wrong step or
// without a running journey; the admin gets a message, the journey no signal.
func TestSignalRefused(t *testing.T) {
	e := newEnv(t)
	j := newJourneys(t, e)
	invited := j.start("opp-invited", workflows.Status{Step: workflows.StepInvited})
	pending := j.start("opp-pending", workflows.Status{Step: workflows.StepArchivePending})
	submitted := j.start("opp-submitted", workflows.Status{Step: workflows.StepSubmitted})
	ended := j.start("opp-ended", workflows.Status{Step: workflows.StepInvited})
	if err := tsrv.GetDefaultClient().TerminateWorkflow(context.Background(), ended, "", "test: journey over"); err != nil {
		t.Fatal(err)
	}
	c := e.loggedIn()
	c.get(j.path("opp-invited", "")) // the CSRF token

	tests := []struct {
		opp, action, want string
	}{
		{"opp-pending", "extend", "a deadline can be extended only while the candidate is invited or has started"},
		{"opp-submitted", "extend", "the journey is at step &#34;submitted&#34;"},
		{"opp-invited", "keep", "only a pending auto-archive can be stopped"},
		{"opp-ended", "extend", "journey is not running, so there is no deadline to extend"},
		{"opp-ended", "keep", "journey is not running, so there is no auto-archive to stop"},
		{"opp-none", "extend", "journey is not running, so there is no deadline to extend"},
		{"opp-none", "keep", "journey is not running, so there is no auto-archive to stop"},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.opp, func(t *testing.T) {
			_, page := c.submit(j.path(tt.opp, tt.action), url.Values{"days": {"3"}})
			wantContains(t, page, tt.want)
		})
	}
	for _, id := range []string{invited, pending, submitted} {
		if got := j.received(id); len(got.Extends)+len(got.Keeps) != 0 {
			t.Errorf("%s: got signals %+v, want none", id, got)
		}
	}
}

func TestCandidateOutcome(t *testing.T) {
	e := newEnv(t)
	j := newJourneys(t, e)
	c := e.loggedIn()
	tests := []struct {
		name         string
		status       workflows.Status
		want, absent []string
	}{
		{"passed and moved", workflows.Status{Step: workflows.StepCompleted, Verdict: "passed", MovedTo: "stage-onsite"},
			[]string{`id="verdict">passed<`, `moved to the Lever stage <code id="moved-to">stage-onsite</code>`},
			[]string{`id="archived"`, `id="extend"`, `id="keep"`}},
		{"failed and archived", workflows.Status{Step: workflows.StepCompleted, Verdict: "failed", Archived: true},
			[]string{`id="verdict">failed<`, `id="archived"`},
			[]string{`id="moved-to"`, `id="archive-pending"`, `id="keep"`}},
		{"started, extended once", workflows.Status{Step: workflows.StepStarted, ExpiresAt: time.Date(2030, 5, 6, 7, 8, 0, 0, time.UTC), Extensions: 1},
			[]string{"extended 1×", `id="extend"`, "2030-05-06 07:08 UTC"},
			[]string{`id="verdict"`, `id="keep"`}},
		{"submitted, no verdict", workflows.Status{Step: workflows.StepSubmitted},
			nil,
			[]string{`id="verdict"`, `id="extensions"`, `id="extend"`, `id="keep"`}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opp := fmt.Sprintf("opp-%d", i)
			j.start(opp, tt.status)
			_, page := c.get(j.path(opp, ""))
			wantContains(t, page, `id="step">`+tt.status.Step+`<`)
			for _, want := range tt.want {
				wantContains(t, page, want)
			}
			for _, no := range tt.absent {
				if strings.Contains(page, no) {
					t.Errorf("page contains %q, want it absent", no)
				}
			}
		})
	}
}
