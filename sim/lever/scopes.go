package lever

import (
	"net/http"
	"slices"
	"strings"
)

// routeScopes is the OAuth scope each route requires, as Lever's API reference names it on
// the endpoint. The simulator keeps its own table, not the client's (lever.ScopeFor), so that
// a test can hold one against the other.
var routeScopes = map[string]string{
	"GET /opportunities":                        "opportunities:read:admin",
	"GET /opportunities/:id":                    "opportunities:read:admin",
	"POST /opportunities/:id/addTags":           "opportunities:write:admin",
	"POST /opportunities/:id/removeTags":        "opportunities:write:admin",
	"PUT /opportunities/:id/stage":              "opportunities:write:admin",
	"PUT /opportunities/:id/archived":           "opportunities:write:admin",
	"POST /opportunities/:id/notes":             "notes:write:admin",
	"GET /opportunities/:id/notes":              "notes:read:admin",
	"POST /opportunities/:id/feedback":          "feedback:write:admin",
	"GET /opportunities/:id/feedback":           "feedback:read:admin",
	"POST /opportunities/:id/files":             "files:write:admin",
	"GET /opportunities/:id/files":              "files:read:admin",
	"GET /opportunities/:id/files/:id/download": "files:read:admin",
	"GET /archive_reasons":                      "archive_reasons:read:admin",
	"GET /postings":                             "postings:read:admin",
	"GET /postings/:id":                         "postings:read:admin",
	"POST /postings/:id":                        "postings:write:admin",
	"GET /feedback_templates":                   "feedback_templates:read:admin",
	"POST /feedback_templates":                  "feedback_templates:write:admin",
	"GET /feedback_templates/:id":               "feedback_templates:read:admin",
	"GET /stages":                               "stages:read:admin",
	"GET /users":                                "users:read:admin",
	"GET /webhooks":                             "webhooks:read:admin",
	"POST /webhooks":                            "webhooks:write:admin",
	"DELETE /webhooks/:id":                      "webhooks:write:admin",
}

// RouteScope returns the OAuth scope the simulator requires for a route label as CallStats
// names it ("POST /opportunities/:id/files"), "" for no such route.
func RouteScope(label string) string { return routeScopes[label] }

// grant is what a request's credentials may do: nil for an account token or API key (every
// route), else the scopes an OAuth access token was granted.
type grant []string

// allows reports whether g covers the route. Lever's consent page describes a write scope as
// "view and manage", so a write scope also covers the read routes of its resource. A route
// without a scope is refused to OAuth tokens.
func (g grant) allows(rt route) bool {
	if g == nil {
		return true
	}
	need := routeScopes[rt.label()]
	if need == "" {
		return false
	}
	return slices.Contains(g, need) || slices.Contains(g, strings.Replace(need, ":read:", ":write:", 1))
}

// refuseScope answers Lever's 403 for a route the token's grant does not cover; false when it
// does.
func refuseScope(w http.ResponseWriter, g grant, rt route) bool {
	if g.allows(rt) {
		return false
	}
	writeError(w, http.StatusForbidden, "the access token was not granted the scope "+routeScopes[rt.label()]+" this request needs")
	return true
}
