// Package e2e holds end-to-end tests: a real Temporal server (temporaltest), the worker, the
// HTTP surface and both simulators, talking over real HTTP with Lever's and the platform's
// wire formats.
package e2e
