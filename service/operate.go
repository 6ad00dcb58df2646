package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"go.temporal.io/sdk/client"

	"github.com/assessbridge/assessbridge/backfill"
	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// Backfill lists the account's candidates already in its trigger stages and, with apply, starts
// their workflows (paced within the Lever budget); without apply it only prints who would be
// invited.
func Backfill(ctx context.Context, cfg config.Config, st *store.Store, tc client.Client, accountID string, stages []string, apply bool, out io.Writer) (backfill.Report, error) {
	acct, err := st.Account(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return backfill.Report{}, fmt.Errorf("backfill: no account %q in the store %s (ASSESSBRIDGE_STORE_DSN)", accountID, storeName(cfg.StoreDSN))
	}
	if err != nil {
		return backfill.Report{}, fmt.Errorf("backfill: %w", err)
	}
	lc, err := Accounts(cfg, st).Client(ctx, accountID)
	if err != nil {
		return backfill.Report{}, fmt.Errorf("backfill: lever client: %w", err)
	}
	return backfill.Run(ctx, lc, tc, cfg.TaskQueue, acct, backfill.Options{AccountID: accountID, StageIDs: stages, Apply: apply, Out: out})
}

// Purge deletes a candidate's data (their journey's history) and waits until it is done; a
// worker must be running to carry it out.
func Purge(ctx context.Context, cfg config.Config, tc client.Client, accountID, opportunityID string) (int, error) {
	run, err := workflows.StartPurge(ctx, tc, cfg.TaskQueue, workflows.PurgeInput{AccountID: accountID, OpportunityID: opportunityID})
	if err != nil {
		return 0, fmt.Errorf("purge: %w", err)
	}
	var n int
	if err := run.Get(ctx, &n); err != nil {
		return 0, fmt.Errorf("purge: %w", err)
	}
	return n, nil
}

// storeName shows a store DSN without its password.
func storeName(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn // a SQLite path
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	return u.Redacted()
}
