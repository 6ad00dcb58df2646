package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machine is where and on what a run measured.
type machine struct {
	commit string // short hash, "+ local changes" when the tree differs from it
	cores  int
	memory string
	cpu    string
	goVer  string
}

func describeMachine(ctx context.Context) machine {
	m := machine{cores: runtime.NumCPU(), goVer: runtime.Version(), commit: "unknown", memory: "unknown", cpu: "unknown"}
	if out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.commit = strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
			m.commit += " + local changes"
		}
	}
	if v, ok := procField("/proc/meminfo", "MemTotal"); ok {
		if kb, err := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64); err == nil {
			m.memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	if v, ok := procField("/proc/cpuinfo", "model name"); ok {
		m.cpu = v
	}
	return m
}

// procField reads the first "name: value" line of a /proc file.
func procField(path, name string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// render is one run's section of RESULTS.md, also printed on stdout.
func render(p plan, m machine, rows []row, notes []string, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s · %s run · commit %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), p.name, m.commit)
	fmt.Fprintf(&b, "%d cores (%s), %s memory, %s; run took %s.\n\n", m.cores, m.cpu, m.memory, m.goVer, took.Round(time.Second))
	b.WriteString(markdown(rows))
	if len(notes) > 0 {
		b.WriteString("\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if !p.enforce {
		b.WriteString("\nNot the full sizes: a smoke run, its PASS/FAIL are informative only.\n")
	}
	return b.String()
}

const resultsHeader = `# Benchmark results

Appended by ` + "`make bench`" + ` (full sizes, goals enforced) and ` + "`make bench-quick`" + ` (smoke run)
from ` + "`bench/`" + `. Each section is one run on one machine; figures are measured within that run.
`

// appendResults adds report to path, creating the file with its header.
func appendResults(path, report string) error {
	_, err := os.Stat(path)
	newFile := errors.Is(err, os.ErrNotExist)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if newFile {
		report = resultsHeader + "\n" + report
	} else {
		report = "\n" + report
	}
	if _, err := f.WriteString(report); err != nil {
		f.Close()
		return fmt.Errorf("results: %w", err)
	}
	return f.Close()
}
