// Package service wires a running assessbridge process from its config: the store, the Temporal
// client, the worker and the HTTP front door. The worker, starter and dev mains share it.
package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"
	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/accounts"
	"github.com/assessbridge/assessbridge/activities"
	"github.com/assessbridge/assessbridge/admin"
	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/codec"
	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
	"github.com/assessbridge/assessbridge/leverqueue"
	"github.com/assessbridge/assessbridge/logging"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/web"
	"github.com/assessbridge/assessbridge/workflows"
)

// OpenStore opens (and migrates) the store named by the config.
func OpenStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	if len(cfg.SecretKey) == 0 {
		return nil, cfg.CheckStore() // names the variable, not the store's "key must be 32 bytes"
	}
	st, err := store.Open(ctx, cfg.StoreDSN, cfg.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}

// DialTemporal connects to the Temporal frontend, logging through z. TLS, mutual TLS and API
// keys come from the temporal.toml profile and TEMPORAL_* variables (config.TemporalConnection).
func DialTemporal(ctx context.Context, cfg config.Config, z *zap.Logger, with ...Option) (client.Client, error) {
	o := collect(with)
	opts, err := cfg.Temporal.ClientOptions(cfg.TemporalAddress, cfg.TemporalNamespace)
	if err != nil {
		return nil, err
	}
	opts.Logger = logging.Temporal(z.Named("temporal"))
	opts.MetricsHandler = o.metrics.TemporalHandler()
	opts.ConnectionOptions.DialOptions = o.dialOptions()
	dc, err := historyConverter(cfg)
	if err != nil {
		return nil, err
	}
	if dc != nil {
		// Failure messages stay readable: they hold ids, never PII.
		opts.DataConverter = dc
		opts.FailureConverter = codec.FailureConverter(dc)
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, dialError(cfg, err)
	}
	return c, nil
}

// OAuth is the Lever OAuth configuration; its Enabled() is false without a client id.
func OAuth(cfg config.Config) leverauth.Config {
	return leverauth.Config{
		ClientID: cfg.LeverClientID, ClientSecret: cfg.LeverClientSecret,
		AuthURL: cfg.LeverAuthURL, TokenURL: cfg.LeverTokenURL, Audience: cfg.LeverAudience,
		RedirectURL: cfg.OAuthRedirectURL(),
	}
}

// Accounts hands out the connected accounts' Lever clients, refreshing OAuth tokens through the
// store so that one refresh happens at a time per account across every process.
func Accounts(cfg config.Config, st *store.Store, with ...Option) *accounts.Clients {
	ac := accounts.Config{LeverBaseURL: cfg.LeverAPIURL, Rate: cfg.LeverRate, Burst: cfg.LeverBurst,
		HTTPClient: &http.Client{Timeout: cfg.LeverTimeout}}
	if m := collect(with).metrics; m != nil {
		ac.Observer = m.LeverObserver()
	}
	if oauth := OAuth(cfg); oauth.Enabled() {
		ac.Refreshing = func(accountID string) oauth2.TokenSource { return oauth.TokenSource(st, accountID) }
	}
	return accounts.New(st, ac)
}

// Platform is the assessment platform's client.
func Platform(cfg config.Config) (*assessment.Client, error) {
	pc, err := assessment.NewClient(cfg.PlatformURL, cfg.PlatformAPIKey, assessment.WithHTTPClient(&http.Client{Timeout: cfg.PlatformTimeout}))
	if err != nil {
		return nil, fmt.Errorf("assessment platform client: %w", err)
	}
	return pc, nil
}

// NewActivities builds the activities with their Lever clients and platform client; tc lets
// the purge delete a candidate's workflow history.
func NewActivities(cfg config.Config, st *store.Store, tc client.Client, with ...Option) (*activities.Activities, error) {
	pc, err := Platform(cfg)
	if err != nil {
		return nil, err
	}
	return activities.New(activities.AccountClients(Accounts(cfg, st, with...)), pc, st, activities.Config{
		CallbackURL: cfg.CallbackURL(), Temporal: tc, Namespace: cfg.TemporalNamespace, AdminURL: adminURL(cfg),
	})
}

// adminURL is the admin page's public base. The worker cannot tell whether the starter serves
// the admin page (its password is the starter's setting), so it is linked whenever the front
// door's public URL is known.
func adminURL(cfg config.Config) string {
	if cfg.PublicURL == "" {
		return ""
	}
	return strings.TrimSuffix(cfg.PublicURL, "/") + admin.Prefix
}

// Worker is a worker process's polling: the workflows and non-Lever activities on the task
// queue, and every account's Lever activities on its own rate-limited queue.
type Worker struct {
	main  worker.Worker
	lever *leverqueue.Workers
}

// NewWorker registers the workflow and activities on the config's task queue, and the account
// workers of the Lever queues. Stopping it waits for in-flight activities; those that do not
// finish in time are retried elsewhere.
func NewWorker(tc client.Client, cfg config.Config, acts *activities.Activities, st *store.Store, with ...Option) (*Worker, error) {
	opts := worker.Options{WorkerStopTimeout: 20 * time.Second, Interceptors: append(collect(with).workerInterceptors(), &heartbeats{})}
	w := worker.New(tc, cfg.TaskQueue, opts)
	workflows.Register(w, acts)
	lw, err := leverqueue.New(tc, leverqueue.Config{
		TaskQueue: cfg.TaskQueue,
		Rate:      cfg.LeverRate,
		Register:  func(r worker.Registry) { r.RegisterActivity(acts) },
		Accounts: func(ctx context.Context) ([]string, error) {
			list, err := st.Accounts(ctx)
			ids := make([]string, len(list))
			for i, a := range list {
				ids[i] = a.ID
			}
			return ids, err
		},
		Options: opts,
		Log:     collect(with).log,
	})
	if err != nil {
		return nil, err
	}
	return &Worker{main: w, lever: lw}, nil
}

// WorkflowCacheSize bounds how many workflows a worker process keeps in memory between their
// tasks (the SDK's default, 10,000, kept ~40 KiB each: 10,000 candidates waiting cost ~400 MiB).
// A workflow evicted from the cache is replayed from its history on its next signal, which is
// cheap for these short histories.
const WorkflowCacheSize = 1000

// LimitWorkflowCache applies WorkflowCacheSize to the process; call it before starting workers
// (the cache is the SDK's, shared by every worker of the process).
func LimitWorkflowCache() { worker.SetStickyWorkflowCacheSize(WorkflowCacheSize) }

// Start starts polling.
func (w *Worker) Start(ctx context.Context) error {
	if err := w.lever.Start(ctx); err != nil {
		return err
	}
	if err := w.main.Start(); err != nil {
		w.lever.Stop()
		return fmt.Errorf("worker: %w", err)
	}
	return nil
}

// Stop stops polling, waiting for in-flight activities.
func (w *Worker) Stop() {
	w.main.Stop()
	w.lever.Stop()
}

// ServeAccount starts the Lever worker of an account connected in this process now, instead
// of at the next refresh.
func (w *Worker) ServeAccount(accountID string) error { return w.lever.Ensure(accountID) }

// RunWorker runs a worker until ctx ends.
func RunWorker(ctx context.Context, w *Worker) error {
	if err := w.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	w.Stop()
	return nil
}

// NewHandler builds the HTTP front door, with the admin page when an admin password is set.
func NewHandler(tc client.Client, st *store.Store, cfg config.Config, z *zap.Logger, with ...Option) (http.Handler, error) {
	wc := web.Config{CallbackSecret: cfg.PlatformCallbackSecret, TaskQueue: cfg.TaskQueue}
	if m := collect(with).metrics; m != nil {
		wc.Metrics = m
	}
	if cfg.HistoryKeys != "" && (cfg.CodecToken != "" || cfg.CodecLoopback) {
		keys, err := codec.ParseKeys(cfg.HistoryKeys)
		if err != nil {
			return nil, fmt.Errorf("history keys: %w", err)
		}
		pc, err := codec.NewCodec(keys)
		if err != nil {
			return nil, err
		}
		if cfg.CodecToken != "" {
			// An admin signed in on the admin page decodes in the stock Web UI, which sends
			// cookies but no token.
			var sessions codec.Sessions
			if cfg.AdminPassword != "" {
				v, err := admin.NewSessionVerifier(sessionKey(cfg.SecretKey))
				if err != nil {
					return nil, err
				}
				sessions = v
			}
			wc.Codec = codec.Handler(pc, cfg.CodecOrigins, cfg.CodecToken, sessions)
		} else {
			wc.Codec = codec.LoopbackHandler(pc, cfg.CodecOrigins)
		}
	}
	if cfg.AdminPassword != "" {
		h, err := newAdmin(tc, st, cfg, z)
		if err != nil {
			return nil, err
		}
		wc.Admin = h
	}
	s, err := web.New(tc, st, z.Named("web"), wc)
	if err != nil {
		return nil, err
	}
	return s.Handler(), nil
}

func newAdmin(tc client.Client, st *store.Store, cfg config.Config, z *zap.Logger) (http.Handler, error) {
	pc, err := Platform(cfg)
	if err != nil {
		return nil, err
	}
	accts := Accounts(cfg, st)
	dc, err := historyConverter(cfg) // the memo journeys write is encrypted like every payload
	if err != nil {
		return nil, err
	}
	return admin.New(admin.Config{
		Password:   cfg.AdminPassword,
		SessionKey: sessionKey(cfg.SecretKey),
		PublicURL:  cfg.PublicURL,
		UIURL:      cfg.TemporalUIURL,
		Namespace:  cfg.TemporalNamespace,
		TaskQueue:  cfg.TaskQueue,
		OAuth:      OAuth(cfg),
	}, admin.Deps{
		Store: st,
		Lever: accts.Client,
		NewLever: func(baseURL, apiKey string) (*lever.Client, error) {
			if baseURL == "" {
				baseURL = cfg.LeverAPIURL
			}
			return lever.New(baseURL, lever.WithAPIKey(apiKey), lever.WithHTTPClient(&http.Client{Timeout: cfg.LeverTimeout}))
		},
		Platform:  pc,
		Temporal:  tc,
		Converter: dc,
		OnConnected: func(ctx context.Context, accountID string) {
			if n, err := ResumeAccount(ctx, tc, cfg.TemporalNamespace, accountID); err != nil {
				z.Warn("resume waiting workflows", zap.String("account", accountID), zap.Error(err))
			} else if n > 0 {
				z.Info("resumed waiting workflows", zap.String("account", accountID), zap.Int("workflows", n))
			}
		},
		Log: z.Named("admin"),
	})
}

// historyConverter encrypts and decrypts workflow payloads with the history keys; nil without
// keys (plaintext). Every process of the deployment must share the keys: each encrypts what it
// sends and decrypts what it reads.
func historyConverter(cfg config.Config) (converter.DataConverter, error) {
	if cfg.HistoryKeys == "" {
		return nil, nil
	}
	keys, err := codec.ParseKeys(cfg.HistoryKeys)
	if err != nil {
		return nil, fmt.Errorf("history keys: %w", err)
	}
	return codec.DataConverter(keys)
}

// sessionKey derives the admin page's cookie key from the secret key, so one secret serves both
// and the encryption key itself never signs anything a browser holds.
func sessionKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("assessbridge admin session v1"))
	return m.Sum(nil)
}

// Listen opens addr for what (e.g. "front door"), with an error that names the address and the
// setting that moves it (e.g. "ASSESSBRIDGE_HTTP_ADDR") when it is taken or unusable.
func Listen(addr, what, setting string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("%s: port %s is taken: another process listens on %s; stop it, or move the %s with %s", what, portOf(addr), addr, what, setting)
		}
		return nil, fmt.Errorf("%s: cannot listen on %s (set by %s): %w", what, addr, setting, err)
	}
	return ln, nil
}

func portOf(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil {
		return port
	}
	return addr
}

// Serve serves h on ln until ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
