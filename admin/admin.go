// Package admin is the server-rendered admin page: an admin logs in with the configured
// password, connects Lever accounts (OAuth or a pasted API key), picks trigger stages (which
// registers our webhooks in Lever), maps postings to assessments, edits rating bands, chooses what
// happens when a candidate submits (per account, thresholds also per posting) and sees the
// account's recent candidates. Mount it with r.Mount(admin.Prefix, h).
package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.uber.org/zap"
	"golang.org/x/time/rate"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
	"github.com/assessbridge/assessbridge/store"
)

// Prefix is where the handler must be mounted: its links, redirects and cookies use it.
const Prefix = "/admin"

// CallbackPath is the OAuth redirect path to register with Lever, below the public URL.
const CallbackPath = Prefix + "/oauth/callback"

// MinSessionKeyLen is the shortest accepted Config.SessionKey.
const MinSessionKeyLen = 32

// Config holds the admin page's settings.
type Config struct {
	Password   string // required
	SessionKey []byte // ≥ 32 bytes, signs cookies and CSRF tokens
	PublicURL  string // e.g. http://127.0.0.1:8080 (https → Secure cookies)
	UIURL      string // Temporal Web UI base, "" = no links
	Namespace  string
	TaskQueue  string // where backfills and purges start workflows; "" = workflows.TaskQueue
	// OAuth connects accounts through Lever's consent page when OAuth.Enabled(). An empty
	// RedirectURL defaults to PublicURL + CallbackPath.
	OAuth leverauth.Config
}

// Deps are the admin page's collaborators.
type Deps struct {
	Store *store.Store
	// Lever returns the client of a connected account.
	Lever func(ctx context.Context, accountID string) (*lever.Client, error)
	// NewLever builds a client to validate a pasted API key; baseURL is the account's
	// LeverBaseURL, "" meaning the configured default.
	NewLever func(baseURL, apiKey string) (*lever.Client, error)
	Platform interface {
		ListAssessments(ctx context.Context) ([]assessment.Assessment, error)
	}
	Temporal client.Client
	// Converter decodes what journeys wrote (memo fields); nil: the SDK's default. Set it to the
	// client's converter when history keys encrypt payloads.
	Converter                   converter.DataConverter
	OnConnected, OnDisconnected func(ctx context.Context, accountID string) // may be nil
	Log                         *zap.Logger
}

// handler serves every admin route.
type handler struct {
	cfg         Config
	deps        Deps
	log         *zap.Logger
	sign        signer
	secure      bool
	webhookBase string // PublicURL + "/webhooks/lever/"
	csp         string
	pages       pages
	// loginLimiter slows password guessing down to a few tries a second for everyone.
	loginLimiter *rate.Limiter
	now          func() time.Time
}

// New checks the configuration and returns the admin handler. Routes are relative to Prefix.
func New(cfg Config, deps Deps) (http.Handler, error) {
	h, err := newHandler(cfg, deps)
	if err != nil {
		return nil, err
	}
	return h.routes(), nil
}

func newHandler(cfg Config, deps Deps) (*handler, error) {
	switch {
	case cfg.Password == "":
		return nil, errors.New("admin: password required")
	case len(cfg.SessionKey) < MinSessionKeyLen:
		return nil, fmt.Errorf("admin: session key must be at least %d bytes", MinSessionKeyLen)
	case deps.Store == nil:
		return nil, errors.New("admin: store required")
	case deps.Lever == nil || deps.NewLever == nil:
		return nil, errors.New("admin: lever client factories required")
	case deps.Platform == nil:
		return nil, errors.New("admin: assessment platform required")
	case deps.Temporal == nil:
		return nil, errors.New("admin: temporal client required")
	}
	pub, err := url.Parse(cfg.PublicURL)
	if err != nil || (pub.Scheme != "http" && pub.Scheme != "https") || pub.Host == "" {
		return nil, fmt.Errorf("admin: public url must be an absolute http(s) url, got %q", cfg.PublicURL)
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	cfg.UIURL = strings.TrimRight(cfg.UIURL, "/")
	if cfg.OAuth.RedirectURL == "" {
		cfg.OAuth.RedirectURL = cfg.PublicURL + CallbackPath
	}
	if deps.Log == nil {
		deps.Log = zap.NewNop()
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	h := &handler{
		cfg:          cfg,
		deps:         deps,
		log:          deps.Log,
		sign:         signer{key: append([]byte(nil), cfg.SessionKey...)},
		secure:       pub.Scheme == "https",
		webhookBase:  cfg.PublicURL + "/webhooks/lever/",
		csp:          contentSecurityPolicy(cfg.OAuth),
		pages:        p,
		loginLimiter: rate.NewLimiter(2, 10),
		now:          time.Now,
	}
	return h, nil
}

func (h *handler) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(h.headers)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		h.renderError(w, r, http.StatusNotFound, "There is no such page.")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		h.renderError(w, r, http.StatusMethodNotAllowed, "That action is not available here.")
	})
	r.Get("/login", h.loginPage)
	r.Post("/login", h.login)
	r.Group(func(r chi.Router) {
		r.Use(h.requireSession)
		r.Post("/logout", h.logout)
		r.Get("/", h.index)
		r.Post("/accounts", h.addAccount)
		r.Get("/oauth/callback", h.oauthCallback)
		r.Route("/accounts/{id}", func(r chi.Router) {
			r.Use(h.requireAccountID)
			r.Get("/", h.accountPage)
			r.Post("/connect", h.connect)
			r.Post("/disconnect", h.disconnect)
			r.Post("/apikey", h.saveAPIKey)
			r.Post("/perform-as", h.savePerformAs)
			r.Post("/stages", h.saveStages)
			r.Post("/webhook-token", h.addWebhookToken)
			r.Post("/catalogue", h.refreshCatalogue)
			r.Post("/mappings", h.saveMapping)
			r.Post("/bands", h.saveBands)
			r.Post("/invitations", h.saveInvitations)
			r.Post("/completion", h.saveCompletion)
			r.Post("/posting-settings", h.savePostingSettings)
			r.Post("/backfill", h.runBackfill)
			r.Get("/candidates/{opp}", h.candidatePage)
			r.Post("/candidates/{opp}/{action}", h.candidateAction)
		})
	})
	return r
}

// headers keeps admin pages out of caches and frames, and lets them load nothing but
// themselves. form-action must allow Lever's authorize URL: browsers apply it to the redirect
// that follows the Connect form.
func (h *handler) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Cache-Control", "no-store")
		hd.Set("Content-Security-Policy", h.csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func contentSecurityPolicy(oauth leverauth.Config) string {
	formAction := "'self'"
	if oauth.Enabled() {
		authURL := oauth.AuthURL
		if authURL == "" {
			authURL = leverauth.AuthURL
		}
		if u, err := url.Parse(authURL); err == nil && u.Scheme != "" && u.Host != "" {
			formAction += " " + u.Scheme + "://" + u.Host
		}
	}
	return "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action " + formAction +
		"; frame-ancestors 'none'; base-uri 'none'"
}
