package leverauth

// Scopes returns exactly the scopes assessbridge's code uses, each for the calls named.
func Scopes() []string {
	return []string{
		"offline_access",                 // a refresh token, so the connection outlives the 1 h access token
		"opportunities:read:admin",       // read the candidate's opportunity (name, tags, posting, stage)
		"opportunities:write:admin",      // add and remove the progress tags
		"notes:read:admin",               // idempotency check: is our note already posted?
		"notes:write:admin",              // post the score summary note
		"feedback:read:admin",            // idempotency check: is our feedback form already posted?
		"feedback:write:admin",           // post the rating feedback form
		"feedback_templates:read:admin",  // find our feedback template and its rating options
		"feedback_templates:write:admin", // create our feedback template when missing
		"stages:read:admin",              // list stages for the admin's trigger-stage choice
		"postings:read:admin",            // read postings for assessment mapping
		"users:read:admin",               // find the perform_as user by email
		"webhooks:read:admin",            // list our webhooks
		"webhooks:write:admin",           // create and delete our webhooks
	}
}
