// Package assessment is assessbridge's side of the assessment-platform contract
// described in README.md: the Platform interface the workflow's activities use, an
// HTTP client that implements it, and the signed callbacks a platform sends back
// when a candidate starts or submits.
//
// The client never retries on its own: the Temporal activity that calls it owns the
// retry policy (see IsRetryable), and Invite is safe to repeat because every call
// carries an idempotency key.
package assessment
