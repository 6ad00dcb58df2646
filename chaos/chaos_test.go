package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestChaosSmall is the small chaos run of issue 9 in go test: 20 candidates, two worker kills
// and one dev kill, through dev and worker binaries built from this tree.
func TestChaosSmall(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build dev and worker with")
	}
	bin := t.TempDir()
	build := exec.CommandContext(t.Context(), goBin, "build", "-o", bin+string(os.PathSeparator), "./dev", "./worker")
	build.Dir = ".."
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build dev and worker: %v\n%s", err, out)
	}
	dir := t.TempDir()
	// A fixed seed fixes the plan (who arrives when, in which order, with which score); the
	// faults still fall on whichever requests come, so runs differ there.
	rep, err := Run(t.Context(), Config{Candidates: 20, Seed: 20261123, BinDir: bin, Dir: dir,
		WorkerKills: 2, DevKills: 1, Progress: testLog{t}})
	if rep != nil {
		var table bytes.Buffer
		rep.print(&table)
		t.Log(table.String())
	}
	if err != nil {
		t.Fatalf("chaos run: %v", err)
	}
	if !rep.ok() {
		t.Fatal("chaos run: lost, duplicated, wrong or leaked something (table above)")
	}
	// The chaos happened, so the run proves something.
	h, p, f := rep.hooks, rep.player, rep.faults
	happened := []struct {
		what string
		n    int
	}{
		{"worker kills", rep.workerKills}, {"dev kills", rep.devKills},
		{"Lever 500s", f.ServerError}, {"Lever 429s", f.TooMany}, {"slow Lever answers", f.Slow},
		{"Lever writes applied then dropped", f.Dropped},
		{"duplicate webhooks", h.dupes}, {"webhooks out of order", int(h.outOrder.Load())}, {"replayed webhooks", int(h.replays.Load())},
		{"duplicate callbacks", p.dupes}, {"submitted before started", int(p.startedLate.Load())},
	}
	for _, c := range happened {
		if c.n == 0 {
			t.Errorf("%s: got 0, want some", c.what)
		}
	}
	// The secret scan read logs that tell of the run, so finding nothing means something.
	devLog, _ := os.ReadFile(filepath.Join(dir, "dev.log"))
	if id := "lever/chaos-1/opp-00000"; !bytes.Contains(devLog, []byte(id)) {
		t.Errorf("dev.log does not mention workflow %s: the scanned logs are not the run's", id)
	}
}

// testLog writes the run's progress lines to the test log.
type testLog struct{ t *testing.T }

func (w testLog) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}
