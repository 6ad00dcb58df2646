package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/assessbridge/assessbridge/workflows"
)

func TestVisibilityQuery(t *testing.T) {
	tests := []struct{ id, want string }{
		{"acme", `LeverAccountId = 'acme'`},
		{"o'brien", `LeverAccountId = 'o\'brien'`},
		{`a\' OR 1=1`, `LeverAccountId = 'a\\\' OR 1=1'`},
	}
	for _, tt := range tests {
		if got := visibilityQuery(tt.id); got != tt.want {
			t.Errorf("visibilityQuery(%q): got %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestRecentCandidates(t *testing.T) {
	e := newEnv(t)
	// A fresh account id per run: the Temporal server outlives one run under -count.
	suffix := make([]byte, 4)
	rand.Read(suffix)
	id := "cand-" + hex.EncodeToString(suffix)
	e.addAccount(id, false)
	e.addAccount(id+"-other", false)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tc := tsrv.GetDefaultClient()
	start := func(account, opportunity, status string, memo map[string]any) string {
		wid := workflows.WorkflowID(account, opportunity)
		// No worker polls this queue: the workflow stays running, which is all the page reads.
		_, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: wid, TaskQueue: "admin-test-no-worker", Memo: memo,
			TypedSearchAttributes: temporal.NewSearchAttributes(
				workflows.AttrAccount.ValueSet(account), workflows.AttrOpportunity.ValueSet(opportunity),
				workflows.AttrAssessment.ValueSet(assessmentID), workflows.AttrStatus.ValueSet(status)),
		}, workflows.WorkflowName, workflows.Input{AccountID: account, OpportunityID: opportunity})
		if err != nil {
			t.Fatalf("start workflow: %v", err)
		}
		t.Cleanup(func() { tc.TerminateWorkflow(context.Background(), wid, "", "test over") })
		return wid
	}
	// The journey's memo names the candidate; a script link is dropped, not rendered.
	first := start(id, "opp-first", workflows.StepInvited, map[string]any{
		workflows.MemoCandidateName: "Ada <Lovelace>", workflows.MemoLeverURL: "https://hire.lever.co/candidates/opp-first"})
	second := start(id, "opp-second", workflows.StepStarted, map[string]any{
		workflows.MemoCandidateName: "Bo", workflows.MemoLeverURL: "javascript:alert(1)"})
	start(id+"-other", "opp-elsewhere", workflows.StepInvited, nil)

	c := e.loggedIn()
	var page string
	// Visibility is eventually consistent: poll the page until both rows show.
	for deadline := time.Now().Add(15 * time.Second); ; {
		_, page = c.get("/accounts/" + id)
		if strings.Contains(page, "opp-first") && strings.Contains(page, "opp-second") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("recent candidates did not show both workflows; page:\n%s", page)
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	if strings.Contains(page, "opp-elsewhere") {
		t.Errorf("page lists another account's candidate")
	}
	if i, j := strings.Index(page, "opp-second"), strings.Index(page, "opp-first"); i > j {
		t.Errorf("got opp-first before opp-second, want newest first")
	}
	wantContains(t, page, workflows.StepStarted+` <span class="muted">(running)</span>`)
	wantContains(t, page, `Ada &lt;Lovelace&gt; <code>opp-first</code></a> · <a href="https://hire.lever.co/candidates/opp-first"`)
	wantContains(t, page, `Bo <code>opp-second</code></a></td>`)
	if strings.Contains(page, "javascript:") {
		t.Error("page links a javascript: URL from a memo")
	}
	for _, wid := range []string{first, second} {
		link := "http://temporal-ui.test/namespaces/" + tsrv.GetDefaultNamespace() + "/workflows/" + url.PathEscape(wid)
		wantContains(t, page, `href="`+link+`"`)
	}

	// The escaping holds up in Temporal's parser: a quote in an id is a value, not syntax.
	if rows, err := e.handler.recentCandidates(ctx, id+"' OR LeverAccount != '"); err != nil || len(rows) != 0 {
		t.Errorf("quoted id: got %d rows and error %v, want 0 rows and no error", len(rows), err)
	}
}
