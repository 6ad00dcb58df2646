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

	"github.com/assessbridge/assessbridge/devserver"
	"github.com/assessbridge/assessbridge/workflows"
)

// temporalRole is the argument that makes this binary the Temporal server of a scenario, in
// its own process so that its memory is measured apart from the worker's and the bench's.
const temporalRole = "temporal"

const frontendMarker = "frontend "

// runTemporal runs the embedded server (as dev does, without the Web UI) until stdin closes or
// a signal comes, printing "frontend <address>" once it answers.
func runTemporal(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet(temporalRole, flag.ContinueOnError)
	dir := fs.String("data-dir", "", "directory of the SQLite file")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the server to this file until it stops")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("temporal: -data-dir is required")
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
	attrs := map[string]enumspb.IndexedValueType{}
	for _, name := range workflows.SearchAttributeNames() {
		attrs[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
	}
	srv, err := devserver.Start(ctx, devserver.Config{DataDir: *dir, UIPort: -1, SearchAttributes: attrs})
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

// temporalProc is a running server child.
type temporalProc struct {
	*child
	address string
	dbPath  string
}

func startTemporal(ctx context.Context, self, dir, cpuProfile string) (*temporalProc, error) {
	dataDir := filepath.Join(dir, "temporal")
	args := []string{temporalRole, "-data-dir", dataDir}
	if cpuProfile != "" {
		args = append(args, "-cpuprofile", cpuProfile)
	}
	c, err := startChild("temporal server", self, args, baseEnv(nil), filepath.Join(dir, "temporal.log"))
	if err != nil {
		return nil, err
	}
	line, err := c.waitLine(ctx, frontendMarker, 2*time.Minute)
	if err != nil {
		_ = c.stop(5 * time.Second)
		return nil, err
	}
	return &temporalProc{child: c, address: strings.TrimSpace(strings.TrimPrefix(line, frontendMarker)), dbPath: filepath.Join(dataDir, "temporal.db")}, nil
}

// dbSize is the SQLite file with its write-ahead log.
func (t *temporalProc) dbSize() (int64, error) {
	var total int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(t.dbPath + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("size of %s: %w", t.dbPath+suffix, err)
		}
		total += fi.Size()
	}
	return total, nil
}
