// Package web is the HTTP surface: Lever webhooks become workflow starts or cancel signals,
// assessment platform callbacks become signals, plus health checks.
package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/store"
)

// MaxBodyBytes caps webhook and callback bodies; Lever's and the platform's are a few KiB.
const MaxBodyBytes = 1 << 20

// Accounts is what the handlers read about connected Lever accounts.
type Accounts interface {
	Account(ctx context.Context, id string) (store.Account, error)
	Ping(ctx context.Context) error
}

// Deliveries remembers Lever's webhook deliveries, so each is acted on once.
type Deliveries interface {
	ClaimDelivery(ctx context.Context, d store.Delivery) (store.DeliveryState, error)
	CompleteDelivery(ctx context.Context, d store.Delivery) error
}

// Store is what the handlers need from the store; *store.Store is one.
type Store interface {
	Accounts
	Deliveries
}

// Config holds the handlers' settings.
type Config struct {
	// CallbackSecret verifies the platform's callback signatures.
	CallbackSecret string
	// CallbackTolerance bounds the age of a callback signature; default 5 minutes.
	CallbackTolerance time.Duration
	// TaskQueue for started workflows; default workflows.TaskQueue.
	TaskQueue string
	// Admin, when set, is the admin page, served under /admin.
	Admin http.Handler
	// Codec, when set, is Temporal's remote codec endpoint, served under /codec, so operators
	// with its token see decrypted payloads (the Temporal CLI's --codec-endpoint).
	Codec http.Handler
	// Metrics, when set, counts webhooks and callbacks by event and outcome, and forged
	// webhook deliveries by account.
	Metrics Recorder
}

// Server holds the handlers' dependencies.
type Server struct {
	temporal   client.Client
	accounts   Accounts
	deliveries Deliveries
	cfg        Config
	log        *zap.Logger
	now        func() time.Time
}

// New checks its dependencies and returns the server.
func New(tc client.Client, st Store, log *zap.Logger, cfg Config) (*Server, error) {
	switch {
	case tc == nil:
		return nil, errors.New("web: temporal client required")
	case st == nil:
		return nil, errors.New("web: store required")
	case cfg.CallbackSecret == "":
		return nil, errors.New("web: callback secret required")
	}
	if log == nil {
		log = zap.NewNop()
	}
	if cfg.CallbackTolerance <= 0 {
		cfg.CallbackTolerance = 5 * time.Minute
	}
	return &Server{temporal: tc, accounts: st, deliveries: st, cfg: cfg, log: log, now: time.Now}, nil
}

// Handler returns the router with request IDs, panic recovery and a per-request timeout.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, echoRequestID, middleware.RealIP, s.recoverer, middleware.Timeout(30*time.Second))
	webhook, callback := s.leverWebhook, s.assessmentCallback
	if s.cfg.Metrics != nil {
		webhook, callback = counted(s.cfg.Metrics.Webhook, webhook), counted(s.cfg.Metrics.Callback, callback)
	}
	r.Post("/webhooks/lever/{account}", webhook)
	r.Post("/callbacks/assessment", callback)
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	if s.cfg.Admin != nil {
		r.Mount("/admin", s.cfg.Admin)
	}
	if s.cfg.Codec != nil {
		r.Mount("/codec", s.cfg.Codec)
	}
	return r
}

// echoRequestID answers with the request's ID (X-Request-Id), so a caller's failed delivery can
// be found in our logs.
func echoRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := middleware.GetReqID(r.Context()); id != "" {
			w.Header().Set(middleware.RequestIDHeader, id)
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer answers 500 on a panic and logs it without the request body.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", zap.Any("panic", v), zap.String("path", r.URL.Path),
					zap.String("request_id", middleware.GetReqID(r.Context())))
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{"temporal": "ok", "store": "ok"}
	status := http.StatusOK
	if _, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		checks["temporal"], status = "unreachable", http.StatusServiceUnavailable
	}
	if err := s.accounts.Ping(ctx); err != nil {
		checks["store"], status = "unreachable", http.StatusServiceUnavailable
	}
	writeJSON(w, status, checks)
}
