package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/assessbridge/assessbridge/lever"
)

// AddTags adds tags to the opportunity (a set operation: retries change nothing).
func (a *Activities) AddTags(ctx context.Context, in TagInput) error {
	return a.changeTags(ctx, in, "add tags", LeverAPI.AddTags)
}

// RemoveTags removes tags from the opportunity (a set operation: retries change nothing).
func (a *Activities) RemoveTags(ctx context.Context, in TagInput) error {
	return a.changeTags(ctx, in, "remove tags", LeverAPI.RemoveTags)
}

func (a *Activities) changeTags(ctx context.Context, in TagInput, op string,
	call func(LeverAPI, context.Context, string, []string, string) error) error {
	if in.AccountID == "" || in.OpportunityID == "" {
		return permanent(ErrTypeInvalidInput, "%s: account and opportunity are required", op)
	}
	if len(in.Tags) == 0 {
		return nil
	}
	return a.leverWrite(ctx, in.AccountID, op, func(lc LeverAPI, performAs string) error {
		return call(lc, ctx, in.OpportunityID, in.Tags, performAs)
	})
}

// leverWrite makes one Lever write as the account's user, its error classified for retries.
func (a *Activities) leverWrite(ctx context.Context, accountID, op string, do func(lc LeverAPI, performAs string) error) error {
	acct, err := a.account(ctx, accountID)
	if err != nil {
		return err
	}
	lc, err := a.leverFor(ctx, accountID)
	if err != nil {
		return err
	}
	err = do(lc, acct.PerformAs)
	if errors.Is(err, lever.ErrNotFound) {
		// Every write is to an opportunity: it is gone from Lever (deleted).
		return permanent(ErrTypeNotFound, "%s: opportunity not found in Lever", op)
	}
	return a.leverErr(ctx, accountID, op, err)
}

// StatusTag is the Lever tag for an assessment at a step, e.g. "Python Test - Invited".
func StatusTag(title, step string) string { return fmt.Sprintf("%s - %s", title, step) }
