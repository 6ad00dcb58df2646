package backfill

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/assessbridge/assessbridge/store"
)

// DefaultRate is the default number of workflow starts per second: each start costs the worker
// about nine Lever calls, and an account's Lever budget is 10 requests/s.
const DefaultRate = 2

// Options says what to backfill.
type Options struct {
	// AccountID names the account; empty means acct.ID. A different id is an error.
	AccountID string
	// StageIDs are the stages to backfill; default: the account's trigger stages. Each must be
	// one of them, since a webhook would start nothing for any other stage.
	StageIDs []string
	// Apply starts workflows; false (the default) is a dry run that only reports.
	Apply bool
	// Rate is workflow starts per second; 0 means DefaultRate.
	Rate float64
	// Out gets one progress line per candidate: opportunity id, stage, outcome. Ids only:
	// never names or emails. Nil discards them.
	Out io.Writer
}

// Report counts what a run found and did. Listed is every opportunity Lever returned (each
// once); every one of them lands in exactly one other counter.
type Report struct {
	Listed         int
	WouldStart     int // dry run: would get a new workflow
	Started        int // a new run was started
	AlreadyRunning int // its workflow is running (started by a webhook or an earlier backfill)
	AlreadyDone    int // its journey completed; not re-invited
	Archived       int // listed although archived (Lever ignored the filter): skipped
	OtherStage     int // listed although in no backfill stage (Lever ignored the filter): skipped
}

// settings are Options checked against the account, defaults applied.
type settings struct {
	stages []string
	apply  bool
	rate   float64
	out    io.Writer
}

func (o Options) check(acct store.Account) (settings, error) {
	if acct.ID == "" {
		return settings{}, errors.New("account has no id")
	}
	if o.AccountID != "" && o.AccountID != acct.ID {
		return settings{}, fmt.Errorf("options name account %q but the account given is %q", o.AccountID, acct.ID)
	}
	if acct.Status == store.StatusDisconnected {
		return settings{}, fmt.Errorf("account %s is disconnected: reconnect it first", acct.ID)
	}
	stages := o.StageIDs
	if len(stages) == 0 {
		stages = acct.TriggerStages
	}
	if len(stages) == 0 {
		return settings{}, fmt.Errorf("account %s has no trigger stages", acct.ID)
	}
	var uniq []string
	for _, st := range stages {
		if !slices.Contains(acct.TriggerStages, st) {
			return settings{}, fmt.Errorf("stage %q is not a trigger stage of account %s", st, acct.ID)
		}
		if !slices.Contains(uniq, st) {
			uniq = append(uniq, st)
		}
	}
	r := o.Rate
	if r == 0 {
		r = DefaultRate
	}
	if !(r > 0) || math.IsInf(r, 0) {
		return settings{}, fmt.Errorf("rate %v: want a positive number of starts per second", o.Rate)
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	return settings{stages: uniq, apply: o.Apply, rate: r, out: out}, nil
}
