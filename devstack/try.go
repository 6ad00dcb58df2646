package devstack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/workflows"
)

// TryLines suggest, for the start-up message, a command that starts a journey now. The
// simulators forget everything on restart while Temporal keeps every workflow, so a seeded
// candidate whose journey already ran would silently not be invited again: the suggestion is a
// seeded candidate without a journey, else a new candidate to add first.
func (s *Stack) TryLines(ctx context.Context) []string {
	if !s.LeverSimulated() {
		return nil
	}
	// The environment account has no posting mappings: Grace's posting names her assessment in a tag.
	account, candidates, posting := DemoAccount, []string{"cand-ada", "cand-grace", "cand-alan"}, "post-backend"
	if s.Config.EnvAccount() {
		account, candidates, posting = config.EnvAccountID, []string{"cand-grace"}, "post-data"
	}
	lines := []string{"the simulators forget everything on restart (seeded candidates are back in Phone screen); " +
		"Temporal keeps every workflow, and a candidate whose journey ran is not invited again"}
	stage := func(id string) string {
		return fmt.Sprintf("curl -X POST %s/_sim/opportunities/%s/stage -d '{\"account\":%q,\"stageId\":%q}'", s.Sims.LeverURL, id, account, DemoTriggerStage)
	}
	for _, id := range candidates {
		if !s.journeyExists(ctx, workflows.WorkflowID(account, id)) {
			return append(lines, "try: "+stage(id))
		}
	}
	id := fmt.Sprintf("cand-%d", time.Now().Unix())
	return append(lines,
		"every seeded candidate's journey has run; add a new candidate, then move them:",
		fmt.Sprintf("try: curl -X POST %s/_sim/opportunities/%s/apply -d '{\"account\":%q,\"postingId\":%q,\"name\":\"New Candidate\",\"email\":\"%s@candidates.example\",\"stageId\":\"stage-phone\"}'",
			s.Sims.LeverURL, id, account, posting, id),
		"     "+stage(id))
}

// journeyExists reports whether a workflow with this id has run; when Temporal cannot say,
// it assumes so, so the suggestion is a fresh candidate that works either way.
func (s *Stack) journeyExists(ctx context.Context, id string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err := s.Temporal.DescribeWorkflowExecution(ctx, id, "")
	var notFound *serviceerror.NotFound
	return !errors.As(err, &notFound)
}
