package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/log"

	"github.com/assessbridge/assessbridge/devserver"
	"github.com/assessbridge/assessbridge/test/temporalpg"
	"github.com/assessbridge/assessbridge/workflows"
)

// temporalRole is the argument that makes this binary the Temporal server of a scenario, in
// its own process so that its memory is measured apart from the worker's and the bench's.
const temporalRole = "temporal"

const frontendMarker = "frontend "

// postgresDSNEnv carries -temporal-postgres to the server process: in its environment, not its
// arguments, the DSN's password stays out of the process list.
const postgresDSNEnv = "BENCH_TEMPORAL_POSTGRES_DSN"

// runTemporal runs the server until stdin closes or a signal comes, printing
// "frontend <address>" once it answers: the embedded server on SQLite (as dev does, without
// the Web UI), or with -postgres-prefix the server on PostgreSQL (temporalpg, as the compose
// stack runs it) on the databases of that prefix.
func runTemporal(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet(temporalRole, flag.ContinueOnError)
	dir := fs.String("data-dir", "", "directory of the SQLite file")
	pgPrefix := fs.String("postgres-prefix", "", "run on PostgreSQL ($"+postgresDSNEnv+") on the databases of this prefix, created if missing")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the server to this file until it stops")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" && *pgPrefix == "" {
		return errors.New("temporal: -data-dir or -postgres-prefix is required")
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("temporal: cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("temporal: cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	srv, err := startServer(ctx, *dir, *pgPrefix)
	if err != nil {
		return fmt.Errorf("temporal: %w", err)
	}
	fmt.Printf("%s%s\n", frontendMarker, srv.FrontendAddress())
	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()
	select {
	case <-ctx.Done():
	case <-stdinClosed:
	}
	return srv.Stop()
}

// server is either kind of Temporal server.
type server interface {
	FrontendAddress() string
	Stop() error
}

func startServer(ctx context.Context, dir, pgPrefix string) (server, error) {
	if pgPrefix != "" {
		dsn := os.Getenv(postgresDSNEnv)
		if dsn == "" {
			return nil, errors.New("-postgres-prefix without $" + postgresDSNEnv)
		}
		// The databases are the bench's: it drops them once this process is gone, however it
		// ended. Errors only: the file is read when something failed.
		logger := log.NewZapLogger(log.BuildZapLogger(log.Config{Level: "error"}))
		return temporalpg.Start(ctx, temporalpg.Options{DSN: dsn, Prefix: pgPrefix, Logger: logger})
	}
	attrs := map[string]enumspb.IndexedValueType{}
	for _, name := range workflows.SearchAttributeNames() {
		attrs[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
	}
	return devserver.Start(ctx, devserver.Config{DataDir: dir, UIPort: -1, SearchAttributes: attrs})
}

// serverOptions choose a scenario's Temporal server.
type serverOptions struct {
	cpuProfile string // "": none
	// postgresDSN: the server runs on PostgreSQL there, on fresh databases; "": embedded SQLite.
	postgresDSN string
	keep        bool // leave the PostgreSQL databases for inspection
}

// temporalProc is a running server child.
type temporalProc struct {
	*child
	address   string
	dbPath    string // SQLite
	opts      serverOptions
	databases []string // PostgreSQL
}

func startTemporal(ctx context.Context, self, dir string, opts serverOptions) (_ *temporalProc, err error) {
	t := &temporalProc{opts: opts}
	dataDir := filepath.Join(dir, "temporal")
	args := []string{temporalRole}
	var env map[string]string
	if opts.postgresDSN == "" {
		args = append(args, "-data-dir", dataDir)
		t.dbPath = filepath.Join(dataDir, "temporal.db")
	} else {
		prefix := "abtpg_bench_" + randomHex(4)
		args = append(args, "-postgres-prefix", prefix)
		env = map[string]string{postgresDSNEnv: opts.postgresDSN}
		t.databases = []string{prefix + "_temporal", prefix + "_visibility"}
	}
	if opts.cpuProfile != "" {
		args = append(args, "-cpuprofile", opts.cpuProfile)
	}
	if t.child, err = startChild("temporal server", self, args, baseEnv(env), filepath.Join(dir, "temporal.log")); err != nil {
		return nil, err
	}
	line, err := t.waitLine(ctx, frontendMarker, 2*time.Minute)
	if err != nil {
		return nil, errors.Join(err, t.shutdown(5*time.Second))
	}
	t.address = strings.TrimSpace(strings.TrimPrefix(line, frontendMarker))
	return t, nil
}

// shutdown stops the server process, then drops its PostgreSQL databases (unless kept): also
// those of a server that was killed or never got as far as answering.
func (t *temporalProc) shutdown(grace time.Duration) error {
	err := t.stop(grace)
	if len(t.databases) > 0 && !t.opts.keep {
		err = errors.Join(err, temporalpg.DropDatabases(t.opts.postgresDSN, t.databases...))
	}
	return err
}

// dbSize is what the server persists, and what that is: the SQLite file with its write-ahead
// log, or the two PostgreSQL databases.
func (t *temporalProc) dbSize(ctx context.Context) (what string, size int64, err error) {
	if len(t.databases) > 0 {
		size, err := databaseSize(ctx, t.opts.postgresDSN, t.databases)
		return "PostgreSQL size (temporal + visibility databases)", size, err
	}
	var total int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(t.dbPath + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", 0, fmt.Errorf("size of %s: %w", t.dbPath+suffix, err)
		}
		total += fi.Size()
	}
	return "SQLite size (temporal.db + WAL)", total, nil
}
