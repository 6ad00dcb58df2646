package main

import (
	"strings"
	"testing"
)

// The note lands in RESULTS.md: it names the server, never the login.
func TestPostgresNoteHidesCredentials(t *testing.T) {
	note := postgresNote("postgres://bench:s3cret@db.example:6543/test?sslmode=disable")
	if strings.Contains(note, "s3cret") || strings.Contains(note, "bench:") {
		t.Errorf("note shows credentials: %s", note)
	}
	if !strings.Contains(note, "db.example:6543") || !strings.Contains(note, "4 history shards") {
		t.Errorf("note lacks the server or the shards: %s", note)
	}
}
