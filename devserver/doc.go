// Package devserver runs a complete Temporal server (frontend, history, matching and worker
// services) backed by one SQLite file, plus the Temporal Web UI, inside the calling process.
//
// It is the one-machine default behind the `dev` binary: Start prepares the file, starts the
// server, waits until the namespace is usable, applies retention and search attributes, starts
// the UI and waits for it; Stop ends both. Several servers may run in one process as long as
// they use different ports and data directories.
package devserver
