package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/workflows"
)

// The candidate actions go to a journey as updates. updaterJourney stands in for it (the harness
// runs no CandidateAssessment worker): it answers the updates as the real journey does, and
// refuses them once its status says the candidate submitted, as the real validators do. (A
// journey without the updates, as on a worker that predates them, gets the signals instead:
// lifecycle_test.go's journeyRecorder registers none, and its tests check those signals.)
const (
	updaterWorkflow = "admin-test-updater"
	updaterQueue    = "admin-test-updater"
)

func updaterJourney(ctx workflow.Context, st workflows.Status) error {
	if err := workflow.SetQueryHandler(ctx, workflows.QueryStatus, func() (workflows.Status, error) { return st, nil }); err != nil {
		return err
	}
	live := func(action string) error {
		if !st.SubmittedAt.IsZero() {
			return temporal.NewNonRetryableApplicationError("cannot "+action+": the candidate has submitted", workflows.ErrTypeNotApplicable, nil)
		}
		return nil
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, workflows.UpdateExtend,
		func(_ workflow.Context, in workflows.ExtendSignal) (workflows.ExtendResult, error) {
			st.ExpiresAt, st.Extensions = st.ExpiresAt.Add(in.By), st.Extensions+1
			return workflows.ExtendResult{InvitationID: st.InvitationID, ExpiresAt: st.ExpiresAt, Extensions: st.Extensions}, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(_ workflow.Context, _ workflows.ExtendSignal) error { return live("extend") }},
	); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, workflows.UpdateReinvite,
		func(workflow.Context) (workflows.ReinviteResult, error) {
			st.Reinvites++
			st.InvitationID = "inv-new"
			return workflows.ReinviteResult{InvitationID: st.InvitationID, ExpiresAt: st.ExpiresAt, Reinvites: st.Reinvites}, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(workflow.Context) error { return live("re-invite") }},
	); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, workflows.UpdateKeep,
		func(_ workflow.Context, _ workflows.KeepSignal) (workflows.KeepResult, error) {
			return workflows.KeepResult{ArchiveAt: st.ArchiveAt}, nil
		},
		workflow.UpdateHandlerOptions{},
	); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return false })
}

// startUpdater runs a stand-in journey for opp of account at st.Step.
func startUpdater(t *testing.T, account, opp string, st workflows.Status) {
	t.Helper()
	id := workflows.WorkflowID(account, opp)
	tc := tsrv.GetDefaultClient()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: updaterQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.AttrAccount.ValueSet(account), workflows.AttrOpportunity.ValueSet(opp),
			workflows.AttrStatus.ValueSet(st.Step)),
	}, updaterWorkflow, st)
	if err != nil {
		t.Fatalf("start journey: %v", err)
	}
	t.Cleanup(func() { tc.TerminateWorkflow(context.Background(), id, "", "test over") })
}

func TestCandidateActionsAnswered(t *testing.T) {
	e := newEnv(t)
	w := worker.New(tsrv.GetDefaultClient(), updaterQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(updaterJourney, workflow.RegisterOptions{Name: updaterWorkflow})
	if err := w.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	t.Cleanup(w.Stop)
	suffix := make([]byte, 4)
	rand.Read(suffix)
	account := "upd-" + hex.EncodeToString(suffix)
	e.addAccount(account, false)
	path := func(opp, action string) string { return "/accounts/" + account + "/candidates/" + opp + "/" + action }

	expires := time.Date(2030, 1, 2, 15, 4, 0, 0, time.UTC)
	startUpdater(t, account, "opp-invited", workflows.Status{Step: workflows.StepInvited, InvitationID: "inv-1", ExpiresAt: expires, Extensions: 1})
	// The search attribute still says invited (as on a stale page), but the journey knows better.
	startUpdater(t, account, "opp-submitted", workflows.Status{Step: workflows.StepInvited, SubmittedAt: expires})
	startUpdater(t, account, "opp-pending", workflows.Status{Step: workflows.StepArchivePending, ArchiveAt: expires})
	c := e.loggedIn()
	c.get("/accounts/" + account + "/candidates/opp-invited/") // the CSRF token

	tests := []struct {
		name, opp, action string
		form              url.Values
		want              string
	}{
		{"extend answered", "opp-invited", "extend", url.Values{"days": {"5"}},
			"Extended by 5 day(s): the invitation now expires 2030-01-07 15:04 UTC (extended 2×)."},
		{"reinvite answered", "opp-invited", "reinvite", url.Values{},
			"Re-invited: the old invitation is withdrawn; the new one (inv-new) expires 2030-01-07 15:04 UTC."},
		{"keep answered", "opp-pending", "keep", url.Values{},
			"Kept: the candidate will not be archived automatically (the auto-archive was due 2030-01-02 15:04 UTC)."},
		{"extend refused", "opp-submitted", "extend", url.Values{"days": {"5"}},
			"The journey refused: cannot extend: the candidate has submitted."},
		{"reinvite refused", "opp-submitted", "reinvite", url.Values{},
			"The journey refused: cannot re-invite: the candidate has submitted."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, page := c.submit(path(tt.opp, tt.action), tt.form)
			wantContains(t, page, tt.want)
		})
	}
}
