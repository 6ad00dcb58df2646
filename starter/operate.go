package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/service"
)

// operate runs an operator subcommand:
//
//	starter backfill --account ID [--stages a,b] [--apply]   candidates already in a trigger stage
//	starter purge --account ID --opportunity ID               delete a candidate's data
func operate(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	account := fs.String("account", "", "account id")
	stages := fs.String("stages", "", "backfill: comma-separated stage ids (default: the account's trigger stages)")
	apply := fs.Bool("apply", false, "backfill: start the workflows (default: a dry run that only lists them)")
	opportunity := fs.String("opportunity", "", "purge: the Lever opportunity id")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *account == "" {
		return errors.New("--account is required")
	}
	st, err := service.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	tc, err := service.DialTemporal(ctx, cfg, zap.NewNop())
	if err != nil {
		return err
	}
	defer tc.Close()
	switch args[0] {
	case "backfill":
		var ids []string
		if *stages != "" {
			ids = strings.Split(*stages, ",")
		}
		rep, err := service.Backfill(ctx, cfg, st, tc, *account, ids, *apply, os.Stdout)
		fmt.Printf("listed %d, would start %d, started %d, already running %d, already completed %d\n",
			rep.Listed, rep.WouldStart, rep.Started, rep.AlreadyRunning, rep.AlreadyDone)
		if !*apply && err == nil {
			fmt.Println("dry run: nothing started; run again with --apply")
		}
		return err
	case "purge":
		if *opportunity == "" {
			return errors.New("--opportunity is required")
		}
		n, err := service.Purge(ctx, cfg, tc, *account, *opportunity)
		if err == nil {
			fmt.Printf("purged %d run(s) of %s/%s\n", n, *account, *opportunity)
		}
		return err
	}
	return fmt.Errorf("unknown command %q", args[0])
}
