package activities

import (
	"context"
	"fmt"
)

// UpdateTags adds then removes tags. Lever's tag calls are set operations, so a retry changes
// nothing; adding first means the candidate is never left without a status tag mid-way.
func (a *Activities) UpdateTags(ctx context.Context, in TagsInput) error {
	if in.AccountID == "" || in.OpportunityID == "" {
		return permanent(ErrTypeInvalidInput, "update tags: account and opportunity are required")
	}
	acct, err := a.account(ctx, in.AccountID)
	if err != nil {
		return err
	}
	lc, err := a.leverFor(ctx, in.AccountID)
	if err != nil {
		return err
	}
	if len(in.Add) > 0 {
		if err := lc.AddTags(ctx, in.OpportunityID, in.Add, acct.PerformAs); err != nil {
			return a.leverErr(ctx, in.AccountID, "add tags", err)
		}
	}
	if len(in.Remove) > 0 {
		if err := lc.RemoveTags(ctx, in.OpportunityID, in.Remove, acct.PerformAs); err != nil {
			return a.leverErr(ctx, in.AccountID, "remove tags", err)
		}
	}
	return nil
}

// StatusTag is the Lever tag for an assessment at a step, e.g. "Python Test - Invited".
func StatusTag(title, step string) string { return fmt.Sprintf("%s - %s", title, step) }
