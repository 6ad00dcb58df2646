package lever

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Options tunes the simulator. The zero value behaves like Lever.
type Options struct {
	Rate  float64 // per-account token bucket in requests/s; 0 means Lever's 10; negative disables
	Burst int     // bucket size; 0 means Lever's 20
	// RetryAfter makes 429 answers carry "Retry-After: 1"; Lever's docs don't promise it.
	RetryAfter bool
	// WrapTemplateCreate answers POST /feedback_templates with {"data": template}
	// instead of the bare template.
	WrapTemplateCreate bool
	// PageSize caps every page whatever limit asks, to exercise pagination with few
	// items; 0 means Lever's 100.
	PageSize int
	// WrapWebhookCreate answers POST /webhooks with {"data":{"data": webhook}}, the shape
	// Lever's docs show, instead of {"data": webhook}.
	WrapWebhookCreate bool
	// HTTPClient delivers webhooks; default has a 10 s timeout.
	HTTPClient *http.Client

	// OAuth (Lever's auth server at /authorize and /oauth/token) is on when OAuthClientID
	// is set; issued access tokens then authenticate API calls besides AddAccount's, each
	// only on the routes its granted scopes cover (403 elsewhere; see RouteScope).
	OAuthClientID, OAuthClientSecret string
	OAuthAudience                    string        // expected audience; default DefaultAudience
	AccessTokenTTL                   time.Duration // default 1h, as Lever's
	// Now is the clock that OAuth codes and tokens expire by; default time.Now. Tests
	// move it forward instead of sleeping.
	Now func() time.Time

	// WriteHold keeps every write to an opportunity in flight at least this long before it
	// answers, so that a client sending two writes to one candidate at once is caught in
	// Overlaps for sure rather than by chance.
	WriteHold time.Duration
}

// DefaultAudience is the audience Lever's production API expects at /authorize.
const DefaultAudience = "https://api.lever.co/v1/"

// Server is the simulator. Its methods are safe for concurrent use.
type Server struct {
	opts   Options
	hc     *http.Client
	routes []route

	mu       sync.Mutex
	accounts map[string]*account // by account id
	order    []string            // account ids as added, the consent page's order
	byToken  map[string]*account // by bearer token / API key
	oauth    oauthState
	faults   []*Fault
	random   randomFaults
	writing  map[string]*inFlight // writes in flight, by account and opportunity
	overlaps []Overlap
}

// New returns an empty simulator; add accounts before calling it.
func New(opts Options) *Server {
	if opts.Rate == 0 {
		opts.Rate = 10
	}
	if opts.Burst <= 0 {
		opts.Burst = 20
	}
	if opts.PageSize <= 0 || opts.PageSize > maxPageLimit {
		opts.PageSize = maxPageLimit
	}
	if opts.OAuthAudience == "" {
		opts.OAuthAudience = DefaultAudience
	}
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &Server{
		opts:     opts,
		hc:       hc,
		routes:   routeTable(),
		accounts: map[string]*account{},
		byToken:  map[string]*account{},
		oauth:    newOAuthState(),
		writing:  map[string]*inFlight{},
	}
}

// handlerFunc serves one route for an authenticated account; params are the path's
// ":id" segments, unescaped.
type handlerFunc func(s *Server, w http.ResponseWriter, r *http.Request, a *account, params []string)

type route struct {
	method  string
	pattern []string // segments; ":id" matches any one
	handle  handlerFunc
}

// label names the route as in CallStats.ByRoute, e.g. "POST /opportunities/:id/notes".
func (rt route) label() string { return rt.method + " /" + strings.Join(rt.pattern, "/") }

// routeTable lists the endpoints served; paths are Lever's v1 paths without /v1.
func routeTable() []route {
	return []route{
		{"GET", []string{"opportunities"}, (*Server).listOpportunities},
		{"GET", []string{"opportunities", ":id"}, (*Server).getOpportunity},
		{"POST", []string{"opportunities", ":id", "addTags"}, (*Server).addTags},
		{"POST", []string{"opportunities", ":id", "removeTags"}, (*Server).removeTags},
		{"POST", []string{"opportunities", ":id", "notes"}, (*Server).createNote},
		{"GET", []string{"opportunities", ":id", "notes"}, (*Server).listNotes},
		{"POST", []string{"opportunities", ":id", "feedback"}, (*Server).createFeedback},
		{"GET", []string{"opportunities", ":id", "feedback"}, (*Server).listFeedback},
		{"PUT", []string{"opportunities", ":id", "stage"}, (*Server).changeStage},
		{"PUT", []string{"opportunities", ":id", "archived"}, (*Server).changeArchived},
		{"POST", []string{"opportunities", ":id", "files"}, (*Server).uploadFile},
		{"GET", []string{"opportunities", ":id", "files"}, (*Server).listFiles},
		{"GET", []string{"opportunities", ":id", "files", ":id", "download"}, (*Server).downloadFile},
		{"GET", []string{"archive_reasons"}, (*Server).listArchiveReasons},
		{"GET", []string{"postings"}, (*Server).listPostings},
		{"GET", []string{"postings", ":id"}, (*Server).getPosting},
		{"POST", []string{"postings", ":id"}, (*Server).updatePosting},
		{"GET", []string{"feedback_templates"}, (*Server).listTemplates},
		{"POST", []string{"feedback_templates"}, (*Server).createTemplate},
		{"GET", []string{"feedback_templates", ":id"}, (*Server).getTemplate},
		{"GET", []string{"stages"}, (*Server).listStages},
		{"GET", []string{"users"}, (*Server).listUsers},
		{"GET", []string{"webhooks"}, (*Server).listWebhooks},
		{"POST", []string{"webhooks"}, (*Server).createWebhook},
		{"DELETE", []string{"webhooks", ":id"}, (*Server).deleteWebhook},
	}
}

// match finds the route for method and escaped path.
func (s *Server) match(method, path string) (route, []string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, rt := range s.routes {
		if rt.method != method || len(rt.pattern) != len(segs) {
			continue
		}
		var params []string
		ok := true
		for i, p := range rt.pattern {
			if p == ":id" {
				v, err := url.PathUnescape(segs[i])
				if err != nil || v == "" {
					ok = false
					break
				}
				params = append(params, v)
			} else if p != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return rt, params, true
		}
	}
	return route{}, nil, false
}

// ServeHTTP serves Lever's paths at the root and under /v1, Lever's OAuth endpoints at
// the root, plus the /_sim control API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if s.serveOAuth(w, r, path) {
		return
	}
	if path == "/v1" || strings.HasPrefix(path, "/v1/") {
		path = strings.TrimPrefix(path, "/v1")
	}
	if strings.HasPrefix(path, "/_sim/") {
		s.serveControl(w, r, path)
		return
	}
	a, scopes := s.authenticate(r)
	if a == nil {
		writeError(w, http.StatusUnauthorized, "invalid or missing credentials")
		return
	}
	rt, params, found := s.match(r.Method, path)
	label := r.Method + " (unknown route)"
	if found {
		label = rt.label()
	}
	if !s.admit(a, label) {
		if s.opts.RetryAfter {
			w.Header().Set("Retry-After", "1")
		}
		writeError(w, http.StatusTooManyRequests, "rate limit exceeded")
		return
	}
	if found && refuseScope(w, scopes, rt) {
		return
	}
	if key := writeKey(r.Method, rt, params, a.id); found && key != "" {
		defer s.beginWrite(a, key, params[0], label)()
	}
	f := s.takeFault(r.Method, path)
	if f != nil && !f.wait(r) {
		return // the client gave up
	}
	serve := func(w http.ResponseWriter) {
		if !found {
			writeError(w, http.StatusNotFound, "no such resource")
			return
		}
		rt.handle(s, w, r, a, params)
	}
	if f == nil {
		serve(w)
		return
	}
	f.serve(w, serve)
}
