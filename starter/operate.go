package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/namespace"
	"github.com/assessbridge/assessbridge/service"
)

// command is an operator subcommand: its flags, then what it does with the config.
type command struct {
	synopsis, about string
	flags           func(fs *flag.FlagSet) func(ctx context.Context, cfg config.Config, out io.Writer) error
}

// commands are the subcommands by name.
func commands() map[string]command {
	return map[string]command{
		"setup": {
			synopsis: "starter setup [--retention 720h]",
			about: "Creates the Temporal namespace (ASSESSBRIDGE_TEMPORAL_NAMESPACE, or TEMPORAL_NAMESPACE) when it is\n" +
				"missing and registers the search attributes operators filter on. Running it again changes nothing.\n" +
				"Needs only the Temporal settings.",
			flags: func(fs *flag.FlagSet) func(context.Context, config.Config, io.Writer) error {
				retention := fs.Duration("retention", namespace.DefaultRetention, "how long a namespace created now keeps closed workflows")
				return func(ctx context.Context, cfg config.Config, out io.Writer) error {
					return setup(ctx, cfg, *retention, out)
				}
			},
		},
		"backfill": {
			synopsis: "starter backfill --account ID [--stages a,b] [--apply]",
			about: "Lists the account's candidates already in a trigger stage and, with --apply, starts their journeys,\n" +
				"paced within Lever's rate. Needs the store (ASSESSBRIDGE_STORE_DSN, ASSESSBRIDGE_SECRET_KEY) and Temporal.",
			flags: func(fs *flag.FlagSet) func(context.Context, config.Config, io.Writer) error {
				account := fs.String("account", "", "account id (required)")
				stages := fs.String("stages", "", "comma-separated stage ids (default: the account's trigger stages)")
				apply := fs.Bool("apply", false, "start the workflows (default: a dry run that only lists them)")
				return func(ctx context.Context, cfg config.Config, out io.Writer) error {
					if *account == "" {
						return errors.New("backfill: --account is required")
					}
					var ids []string
					if *stages != "" {
						ids = strings.Split(*stages, ",")
					}
					return backfill(ctx, cfg, *account, ids, *apply, out)
				}
			},
		},
		"purge": {
			synopsis: "starter purge --account ID --opportunity ID",
			about: "Deletes a candidate's data: stops their journey, withdraws the invitation and deletes every run's\n" +
				"history. A worker carries it out; this waits until it is done. Needs Temporal.",
			flags: func(fs *flag.FlagSet) func(context.Context, config.Config, io.Writer) error {
				account := fs.String("account", "", "account id (required)")
				opportunity := fs.String("opportunity", "", "the Lever opportunity id (required)")
				return func(ctx context.Context, cfg config.Config, out io.Writer) error {
					if *account == "" || *opportunity == "" {
						return errors.New("purge: --account and --opportunity are required")
					}
					return purge(ctx, cfg, *account, *opportunity, out)
				}
			},
		},
		"healthcheck": {
			synopsis: "starter healthcheck",
			about:    "Exits 0 when the front door on ASSESSBRIDGE_HTTP_ADDR is ready (/readyz); the image has no shell or curl.",
			flags: func(*flag.FlagSet) func(context.Context, config.Config, io.Writer) error {
				return func(ctx context.Context, cfg config.Config, _ io.Writer) error {
					return service.Probe(ctx, cfg.HTTPAddr, "/readyz")
				}
			},
		},
	}
}

// operate runs the subcommand args[0]: its flags first (so -h needs no setting), then the
// config.
func operate(ctx context.Context, args, environ []string, out io.Writer) error {
	cmd, ok := commands()[args[0]]
	if !ok {
		return fmt.Errorf("unknown command %q (starter -h lists them)", args[0])
	}
	fs := flag.NewFlagSet("starter "+args[0], flag.ContinueOnError)
	fs.SetOutput(out)
	run := cmd.flags(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n\n%s\n", cmd.synopsis, cmd.about)
		if strings.Contains(cmd.synopsis, "--") {
			fmt.Fprintln(fs.Output(), "\nflags:")
			fs.PrintDefaults()
		}
	}
	if err := fs.Parse(args[1:]); err != nil {
		return helpIsNoError(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q (%s -h)", fs.Name(), fs.Arg(0), fs.Name())
	}
	cfg, err := config.LoadEnviron(environ)
	if err != nil {
		return err
	}
	return run(ctx, cfg, out)
}

func setup(ctx context.Context, cfg config.Config, retention time.Duration, out io.Writer) error {
	tc, err := service.DialTemporal(ctx, cfg, zap.NewNop())
	if err != nil {
		return err
	}
	defer tc.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	rep, err := namespace.Setup(ctx, tc, cfg.TemporalNamespace, retention)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	if rep.CreatedNamespace {
		fmt.Fprintf(out, "created namespace %s (closed workflows kept %s)\n", cfg.TemporalNamespace, retention)
	} else {
		fmt.Fprintf(out, "namespace %s exists\n", cfg.TemporalNamespace)
	}
	if len(rep.AddedAttributes) > 0 {
		fmt.Fprintf(out, "registered search attributes %s\n", strings.Join(rep.AddedAttributes, ", "))
	} else {
		fmt.Fprintln(out, "search attributes already registered")
	}
	return nil
}

func backfill(ctx context.Context, cfg config.Config, account string, stages []string, apply bool, out io.Writer) error {
	if err := cfg.CheckOperator(true); err != nil {
		return fmt.Errorf("backfill: %w", err)
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
	rep, err := service.Backfill(ctx, cfg, st, tc, account, stages, apply, out)
	fmt.Fprintf(out, "listed %d, would start %d, started %d, already running %d, already completed %d\n",
		rep.Listed, rep.WouldStart, rep.Started, rep.AlreadyRunning, rep.AlreadyDone)
	if !apply && err == nil {
		fmt.Fprintln(out, "dry run: nothing started; run again with --apply")
	}
	return err
}

func purge(ctx context.Context, cfg config.Config, account, opportunity string, out io.Writer) error {
	if err := cfg.CheckOperator(false); err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	tc, err := service.DialTemporal(ctx, cfg, zap.NewNop())
	if err != nil {
		return err
	}
	defer tc.Close()
	n, err := service.Purge(ctx, cfg, tc, account, opportunity)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "purged %d run(s) of %s/%s\n", n, account, opportunity)
	return nil
}
