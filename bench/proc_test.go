package main

import (
	"os"
	"runtime"
	"testing"
)

func TestOwnProcessFigures(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	rss, peak, err := memory(os.Getpid())
	if err != nil || rss <= 0 || peak < rss {
		t.Errorf("memory: got rss %d, peak %d, %v; want 0 < rss ≤ peak", rss, peak, err)
	}
	if _, err := cpuTime(os.Getpid()); err != nil {
		t.Errorf("cpuTime: got %v, want nil", err)
	}
}
