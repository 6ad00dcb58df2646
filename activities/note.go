package activities

import (
	"context"
	"strings"

	"go.temporal.io/sdk/activity"

	"github.com/assessbridge/assessbridge/lever"
)

// MarkerLine is the last line of every note and feedback we post: a reference unique to the
// workflow run, which a retried activity looks for before posting again.
func MarkerLine(marker string) string { return "assessbridge ref: " + marker }

// PostNote adds the result note once. On a retry it first lists the opportunity's notes and
// stops if one carries this run's marker: the earlier attempt may have been accepted by Lever
// before the worker crashed or the answer was lost.
func (a *Activities) PostNote(ctx context.Context, in NoteInput) (string, error) {
	if in.AccountID == "" || in.OpportunityID == "" || in.Marker == "" || in.Text == "" {
		return "", permanent(ErrTypeInvalidInput, "post note: account, opportunity, text and marker are required")
	}
	acct, err := a.account(ctx, in.AccountID)
	if err != nil {
		return "", err
	}
	lc, err := a.leverFor(ctx, in.AccountID)
	if err != nil {
		return "", err
	}
	line := MarkerLine(in.Marker)
	if activity.GetInfo(ctx).Attempt > 1 {
		notes, err := lc.ListNotes(ctx, in.OpportunityID)
		if err != nil {
			return "", a.leverErr(ctx, in.AccountID, "post note: list notes", err)
		}
		for _, n := range notes {
			if strings.Contains(n.Value, line) {
				activity.GetLogger(ctx).Info("note already posted by an earlier attempt", "opportunity_id", in.OpportunityID)
				return n.ID, nil
			}
		}
	}
	id, err := lc.AddNote(ctx, in.OpportunityID, lever.NewNote{Value: in.Text + "\n\n" + line}, acct.PerformAs)
	if err != nil {
		return "", a.leverErr(ctx, in.AccountID, "post note", err)
	}
	return id, nil
}
