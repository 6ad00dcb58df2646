package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// leak is a secret or a piece of candidate data found in a log; it names both, never the value.
type leak struct {
	what, file string
}

func (l leak) String() string { return l.what + " in " + l.file }

// scanLogs reads every *.log file directly in dir and reports each secret found in each, and
// how many bytes it read.
func scanLogs(dir string, secrets map[string]string) ([]leak, int64, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil {
		return nil, 0, fmt.Errorf("list logs: %w", err)
	}
	if len(files) == 0 {
		return nil, 0, fmt.Errorf("no logs in %s to scan", dir)
	}
	var leaks []leak
	var size int64
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, fmt.Errorf("read log: %w", err)
		}
		size += int64(len(b))
		for _, what := range slices.Sorted(maps.Keys(secrets)) {
			v := strings.TrimSpace(secrets[what])
			if len(v) >= 6 && bytes.Contains(b, []byte(v)) { // shorter values would match by chance
				leaks = append(leaks, leak{what: what, file: filepath.Base(f)})
			}
		}
	}
	return leaks, size, nil
}
