// Package backfill starts CandidateAssessment workflows for candidates who were already in a
// trigger stage when an account was connected (or while its webhooks were off): no stage-change
// webhook will ever come for them.
//
// It is a dry run unless asked to apply, and it paces starts: each start costs the worker about
// nine Lever calls from the account's shared budget. Workflows are started exactly as the Lever
// webhook starts them, so a later webhook for the same candidate joins or is refused the same way.
package backfill
