package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// child is a process the bench started: the Temporal server, a worker, or dev.
type child struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string // stdout, line by line
	log   string      // stderr goes here
	done  chan error
}

// startChild runs bin with args and env (the inherited environment is not passed on, so the
// user's ASSESSBRIDGE_* settings cannot leak into a measurement). stderr goes to logPath.
func startChild(name, bin string, args, env []string, logPath string) (*child, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("%s log: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stderr = logf
	cmd.SysProcAttr = childAttrs()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, fmt.Errorf("%s stdout: %w", name, err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		logf.Close()
		return nil, fmt.Errorf("%s stdin: %w", name, err)
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, stdin: stdin, lines: make(chan string, 64), log: logPath, done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case c.lines <- sc.Text():
			default: // nobody is reading: drop rather than block the child
			}
		}
		close(c.lines)
	}()
	go func() {
		c.done <- cmd.Wait()
		logf.Close()
	}()
	return c, nil
}

// waitLine returns the first stdout line containing marker.
func (c *child) waitLine(ctx context.Context, marker string, timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case line, ok := <-c.lines:
			if !ok {
				return "", fmt.Errorf("%s exited before %q: %s", c.name, marker, c.logTail())
			}
			if strings.Contains(line, marker) {
				return line, nil
			}
		case <-t.C:
			return "", fmt.Errorf("%s: no %q within %s: %s", c.name, marker, timeout, c.logTail())
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// stop asks the child to end (stdin closed, then SIGTERM) and kills it after grace.
func (c *child) stop(grace time.Duration) error {
	_ = c.stdin.Close()
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		return exitErr(c.name, err)
	case <-time.After(grace):
	}
	_ = c.cmd.Process.Kill()
	<-c.done
	return nil // killed on purpose: its exit status says nothing
}

// interrupt sends SIGINT (as Ctrl-C would) and waits for a clean exit.
func (c *child) interrupt(timeout time.Duration) error {
	_ = c.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-c.done:
		return exitErr(c.name, err)
	case <-time.After(timeout):
		_ = c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("%s did not stop within %s of SIGINT", c.name, timeout)
	}
}

func exitErr(name string, err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.Exited() && ee.ExitCode() == 0 {
		return nil
	}
	if errors.As(err, &ee) && !ee.Exited() {
		return nil // ended by the signal we sent
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func (c *child) logTail() string {
	b, err := os.ReadFile(c.log)
	if err != nil {
		return "(no log)"
	}
	if len(b) > 600 {
		b = b[len(b)-600:]
	}
	return "log tail: " + oneLine(string(b))
}

// memory reads a process's resident set (VmRSS) and its peak (VmHWM) in bytes.
func memory(pid int) (rss, peak int64, err error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, 0, fmt.Errorf("read memory of pid %d: %w", pid, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, val, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("parse %s of pid %d: %w", name, pid, err)
		}
		if name == "VmRSS" {
			rss = kb << 10
		} else {
			peak = kb << 10
		}
	}
	return rss, peak, nil
}

// baseEnv is the minimal environment every child gets, plus the given settings.
func baseEnv(settings map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	for k, v := range settings {
		env = append(env, k+"="+v)
	}
	return env
}

// cpuTime is the user plus system CPU a process has used so far (/proc/<pid>/stat, in clock
// ticks of 1/100 s, which Linux fixes for user space).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, fmt.Errorf("read cpu time of pid %d: %w", pid, err)
	}
	// The command name may hold spaces; the fields after its closing parenthesis do not.
	end := strings.LastIndexByte(string(b), ')')
	if end < 0 {
		return 0, fmt.Errorf("parse cpu time of pid %d", pid)
	}
	fields := strings.Fields(string(b[end+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("parse cpu time of pid %d", pid)
	}
	var ticks int64
	for _, f := range fields[11:13] { // utime, stime
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse cpu time of pid %d: %w", pid, err)
		}
		ticks += v
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}
