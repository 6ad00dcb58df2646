package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"
)

// proc is a child process the run supervises through kills and restarts. Every incarnation
// appends its stdout and stderr to the same log file, which the secret scan reads at the end.
type proc struct {
	name    string
	bin     string
	args    []string
	env     []string
	logPath string

	mu         sync.Mutex
	cmd        *exec.Cmd
	exited     chan struct{} // closed when the current incarnation has ended
	onPurpose  bool          // the current incarnation is being killed or stopped by the run
	unexpected []string      // exits nobody asked for
}

// start runs a new incarnation and returns the log's size before it, so readiness checks read
// only what this incarnation wrote.
func (p *proc) start() (int64, error) {
	f, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return 0, fmt.Errorf("%s log: %w", p.name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, fmt.Errorf("%s log: %w", p.name, err)
	}
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = p.env, f, f
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		f.Close()
		return 0, fmt.Errorf("start %s: %w", p.name, err)
	}
	exited := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.exited, p.onPurpose = cmd, exited, false
	p.mu.Unlock()
	go func() {
		err := cmd.Wait()
		f.Close()
		p.mu.Lock()
		if !p.onPurpose {
			p.unexpected = append(p.unexpected, fmt.Sprintf("%s (pid %d) exited by itself: %v", p.name, cmd.Process.Pid, err))
		}
		p.mu.Unlock()
		close(exited)
	}()
	return fi.Size(), nil
}

// kill ends the current incarnation with SIGKILL, as a crash or an OOM kill would, and waits.
func (p *proc) kill() {
	p.end(func(cmd *exec.Cmd) { _ = cmd.Process.Kill() }, 0)
}

// stop asks the current incarnation to stop (SIGTERM), killing it after grace.
func (p *proc) stop(grace time.Duration) {
	p.end(func(cmd *exec.Cmd) { _ = cmd.Process.Signal(terminate) }, grace)
}

func (p *proc) end(signal func(*exec.Cmd), grace time.Duration) {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.onPurpose = true
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	signal(cmd)
	if grace > 0 {
		select {
		case <-exited:
			return
		case <-time.After(grace):
			_ = cmd.Process.Kill()
		}
	}
	<-exited
}

// running is the current incarnation's exit channel.
func (p *proc) running() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exited
}

// unexpectedExits lists the exits the run did not cause.
func (p *proc) unexpectedExits() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.unexpected...)
}

// logSince reads what the log holds from offset on.
func (p *proc) logSince(offset int64) []byte {
	b, err := os.ReadFile(p.logPath)
	if err != nil || int64(len(b)) < offset {
		return nil
	}
	return b[offset:]
}

// tail is the end of the log, for error messages.
func (p *proc) tail() string {
	b, _ := os.ReadFile(p.logPath)
	if len(b) > 1500 {
		b = b[len(b)-1500:]
	}
	return string(bytes.TrimSpace(b))
}

// awaitReady polls ready until it holds, the incarnation exits or timeout passes.
func (p *proc) awaitReady(ctx context.Context, timeout time.Duration, ready func(context.Context) bool) error {
	exited := p.running()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if ready(ctx) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return fmt.Errorf("%s exited before it was ready; log tail:\n%s", p.name, p.tail())
		case <-deadline.C:
			return fmt.Errorf("%s not ready within %s; log tail:\n%s", p.name, timeout, p.tail())
		case <-tick.C:
		}
	}
}
