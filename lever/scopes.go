package lever

import "strings"

// OAuth scopes of the endpoints the client calls, as Lever's API reference names them on each
// endpoint. Whether a write scope also grants its read is not documented: leverauth asks
// for both.
const (
	ScopeOpportunitiesRead      = "opportunities:read:admin"
	ScopeOpportunitiesWrite     = "opportunities:write:admin"
	ScopeNotesRead              = "notes:read:admin"
	ScopeNotesWrite             = "notes:write:admin"
	ScopeFeedbackRead           = "feedback:read:admin"
	ScopeFeedbackWrite          = "feedback:write:admin"
	ScopeFeedbackTemplatesRead  = "feedback_templates:read:admin"
	ScopeFeedbackTemplatesWrite = "feedback_templates:write:admin"
	ScopeFilesRead              = "files:read:admin"
	ScopeFilesWrite             = "files:write:admin"
	ScopeStagesRead             = "stages:read:admin"
	ScopePostingsRead           = "postings:read:admin"
	ScopePostingsWrite          = "postings:write:admin"
	ScopeUsersRead              = "users:read:admin"
	ScopeArchiveReasonsRead     = "archive_reasons:read:admin"
	ScopeWebhooksRead           = "webhooks:read:admin"
	ScopeWebhooksWrite          = "webhooks:write:admin"
)

// endpointScopes is the scope of every endpoint a Client method calls, keyed by method and
// endpoint as endpointOf writes it. A method calling an endpoint missing here fails
// leverauth's scope test.
var endpointScopes = map[string]string{
	"GET /opportunities":                 ScopeOpportunitiesRead,
	"GET /opportunities/:id":             ScopeOpportunitiesRead,
	"POST /opportunities/:id/addTags":    ScopeOpportunitiesWrite,
	"POST /opportunities/:id/removeTags": ScopeOpportunitiesWrite,
	"PUT /opportunities/:id/stage":       ScopeOpportunitiesWrite,
	"PUT /opportunities/:id/archived":    ScopeOpportunitiesWrite,
	"GET /opportunities/:id/notes":       ScopeNotesRead,
	"POST /opportunities/:id/notes":      ScopeNotesWrite,
	"GET /opportunities/:id/feedback":    ScopeFeedbackRead,
	"POST /opportunities/:id/feedback":   ScopeFeedbackWrite,
	"GET /opportunities/:id/files":       ScopeFilesRead,
	"POST /opportunities/:id/files":      ScopeFilesWrite,
	"GET /feedback_templates":            ScopeFeedbackTemplatesRead,
	"GET /feedback_templates/:id":        ScopeFeedbackTemplatesRead,
	"POST /feedback_templates":           ScopeFeedbackTemplatesWrite,
	"GET /stages":                        ScopeStagesRead,
	"GET /postings":                      ScopePostingsRead,
	"GET /postings/:id":                  ScopePostingsRead,
	"POST /postings/:id":                 ScopePostingsWrite,
	"GET /users":                         ScopeUsersRead,
	"GET /archive_reasons":               ScopeArchiveReasonsRead,
	"GET /webhooks":                      ScopeWebhooksRead,
	"POST /webhooks":                     ScopeWebhooksWrite,
	"DELETE /webhooks/:id":               ScopeWebhooksWrite,
}

// ScopeFor returns the OAuth scope Lever requires for an HTTP method on an API path relative
// to the base URL ("/opportunities/abc/files"; ids may be given as ":id"), or "" for an
// endpoint the client does not call.
func ScopeFor(method, path string) string {
	path, _, _ = strings.Cut(path, "?")
	return endpointScopes[strings.ToUpper(method)+" "+endpointOf(path)]
}
