package leverauth

import "github.com/assessbridge/assessbridge/lever"

// Scopes returns exactly the scopes assessbridge's code uses, each for the calls named: one
// per endpoint scope of lever.Client's methods (TestScopesCoverClient keeps the two in step)
// plus offline_access. Lever does not document whether a write scope grants its read, so both
// are asked for: 18 scopes, within the 20 partner guides say Lever allows an app.
func Scopes() []string {
	return []string{
		"offline_access",                  // a refresh token, so the connection outlives the 1 h access token
		lever.ScopeOpportunitiesRead,      // read the candidate's opportunity; list candidates in trigger stages (backfill)
		lever.ScopeOpportunitiesWrite,     // progress tags, and the stage move and archive on submission
		lever.ScopeNotesRead,              // idempotency check: is our note already posted?
		lever.ScopeNotesWrite,             // post the score summary note
		lever.ScopeFeedbackRead,           // idempotency check: is our feedback form already posted?
		lever.ScopeFeedbackWrite,          // post the rating feedback form
		lever.ScopeFeedbackTemplatesRead,  // find our feedback template and its rating options
		lever.ScopeFeedbackTemplatesWrite, // create our feedback template when missing
		lever.ScopeFilesRead,              // idempotency check: is the PDF report already attached?
		lever.ScopeFilesWrite,             // attach the platform's PDF report to the opportunity
		lever.ScopeStagesRead,             // list stages for the trigger and completion stage choices
		lever.ScopePostingsRead,           // read postings for assessment mapping and job tags
		lever.ScopePostingsWrite,          // write the mapping on the posting as its assessment:<id> tag
		lever.ScopeUsersRead,              // find the perform_as user by email
		lever.ScopeArchiveReasonsRead,     // list archive reasons for the auto-archive choice and its check
		lever.ScopeWebhooksRead,           // list our webhooks
		lever.ScopeWebhooksWrite,          // create and delete our webhooks
	}
}
