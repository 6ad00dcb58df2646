// Package devstack is the one-process embedded default: an embedded Temporal server and Web UI,
// the worker, the HTTP front door and, optionally, the Lever and platform simulators with a
// seeded demo account. The dev command and its tests run it.
package devstack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/devserver"
	"github.com/assessbridge/assessbridge/service"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// Options choose what runs beside the embedded server.
type Options struct {
	Config config.Config
	// WithSims starts both simulators (SimLever and SimPlatform).
	WithSims bool
	// SimLever starts the Lever simulator in place of Lever, with the seeded demo account (and,
	// when the environment configures an account, that account in simulated Lever too).
	SimLever bool
	// SimPlatform starts the platform simulator in place of the assessment platform.
	SimPlatform bool
	// SimAddrs are the Lever and platform simulators' listen addresses; empty picks free ports.
	SimAddrs [2]string
	// NoWorker leaves the workflows to worker processes of their own (the chaos run kills those).
	NoWorker bool
	Logger   *zap.Logger
}

func (o Options) simLever() bool    { return o.WithSims || o.SimLever }
func (o Options) simPlatform() bool { return o.WithSims || o.SimPlatform }

// Stack is a running embedded stack.
type Stack struct {
	Config   config.Config
	Temporal client.Client
	Store    *store.Store
	Server   *devserver.Server
	Sims     *Sims // nil without any simulator

	worker  *service.Worker
	httpLn  net.Listener
	cancel  context.CancelFunc
	httpErr chan error
	log     *zap.Logger
}

// Start brings the whole stack up and returns once every part answers.
func Start(ctx context.Context, opts Options) (st *Stack, err error) {
	cfg, z := opts.Config, opts.Logger
	if z == nil {
		z = zap.NewNop()
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	if len(cfg.SecretKey) == 0 {
		if cfg.SecretKey, err = loadOrCreateKey(filepath.Join(cfg.DataDir, "secret.key")); err != nil {
			return nil, err
		}
	}
	// The front door's port is checked before the server starts, so a taken port fails fast.
	httpLn, err := service.Listen(cfg.HTTPAddr, "front door", "--http-addr or ASSESSBRIDGE_HTTP_ADDR")
	if err != nil {
		return nil, err
	}
	s := &Stack{Config: cfg, httpLn: httpLn, log: z, httpErr: make(chan error, 1)}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.Stop())
		}
	}()
	if err := checkServerPorts(cfg); err != nil {
		return nil, err
	}
	if cfg.PublicURL == "http://"+cfg.HTTPAddr {
		s.Config.PublicURL = "http://" + httpLn.Addr().String() // resolves port 0 in tests
	}

	attrs := map[string]enumspb.IndexedValueType{}
	for _, name := range workflows.SearchAttributeNames() {
		attrs[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
	}
	// Candidate data is encrypted in the embedded server too (a key kept beside the data), and
	// the Web UI decodes it through the front door's /codec, open to this machine's browser.
	if s.Config.HistoryKeys == "" {
		if s.Config.HistoryKeys, err = loadOrCreateHistoryKeys(filepath.Join(cfg.DataDir, "history.keys")); err != nil {
			return nil, err
		}
		s.Config.CodecLoopback = s.Config.CodecToken == ""
	}
	s.Server, err = devserver.Start(ctx, devserver.Config{
		DataDir: filepath.Join(cfg.DataDir, "temporal"), Namespace: cfg.TemporalNamespace,
		FrontendPort: cfg.TemporalPort, UIPort: cfg.UIPort, SearchAttributes: attrs, Logger: z.Named("temporal-server"),
		CodecEndpoint: s.Config.PublicURL + "/codec",
		// With a token (production's mode) the UI decodes for an admin signed in on the admin
		// page: its cookie is the UI's only credential.
		CodecIncludeCredentials: s.Config.CodecToken != "",
	})
	if err != nil {
		return nil, fmt.Errorf("embedded temporal: %w", err)
	}
	s.Config.TemporalAddress = s.Server.FrontendAddress()
	// The embedded server speaks plain gRPC, whatever a temporal.toml profile says.
	s.Config.Temporal = config.TemporalConnection{}
	if s.Config.TemporalUIURL == "" {
		s.Config.TemporalUIURL = s.Server.UIAddress()
	}
	if ui := s.Server.UIAddress(); ui != "" {
		s.Config.CodecOrigins = append(s.Config.CodecOrigins, ui)
	}
	if s.Config.AdminPassword == "" {
		if s.Config.AdminPassword, err = loadOrCreateSecret(filepath.Join(cfg.DataDir, "admin-password")); err != nil {
			return nil, err
		}
	}

	s.Store, err = service.OpenStore(ctx, s.Config)
	if err != nil {
		return nil, err
	}
	if opts.simLever() || opts.simPlatform() {
		s.Sims, err = startSims(ctx, opts, &s.Config, s.Store)
		if err != nil {
			return nil, err
		}
	}
	if err := s.Config.CheckWorker(); err != nil {
		return nil, fmt.Errorf("%w (or run with --sim-platform)", err)
	}
	if err := s.Config.CheckStarter(); err != nil {
		return nil, fmt.Errorf("%w (or run with --sim-platform)", err)
	}
	s.Temporal, err = service.DialTemporal(ctx, s.Config, z)
	if err != nil {
		return nil, err
	}
	if err := service.ApplyEnvAccount(ctx, s.Config, s.Store, s.Temporal, z); err != nil {
		return nil, err
	}
	acts, err := service.NewActivities(s.Config, s.Store, s.Temporal)
	if err != nil {
		return nil, err
	}
	if !opts.NoWorker {
		service.LimitWorkflowCache()
		w, err := service.NewWorker(s.Temporal, s.Config, acts, s.Store, service.WithLogger(z))
		if err != nil {
			return nil, err
		}
		if err := w.Start(ctx); err != nil {
			return nil, fmt.Errorf("start worker: %w", err)
		}
		s.worker = w
	}
	h, err := service.NewHandler(s.Temporal, s.Store, s.Config, z)
	if err != nil {
		return nil, err
	}
	httpCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() { s.httpErr <- service.Serve(httpCtx, httpLn, h) }()
	if s.Sims != nil {
		s.Sims.connectWebhooks(s.Config)
	}
	return s, nil
}

// HTTPURL is the front door's base URL.
func (s *Stack) HTTPURL() string { return s.Config.PublicURL }

// UIURL is the Temporal Web UI's base URL ("" when disabled).
func (s *Stack) UIURL() string {
	if s.Server == nil {
		return ""
	}
	return s.Server.UIAddress()
}

// WorkflowURL links a workflow in the Web UI.
func (s *Stack) WorkflowURL(workflowID string) string {
	return fmt.Sprintf("%s/namespaces/%s/workflows/%s", s.UIURL(), s.Config.TemporalNamespace, urlPathEscape(workflowID))
}

// Stop stops everything that was started, front door first, server last. Safe to call twice.
func (s *Stack) Stop() error {
	var errs []error
	if s.cancel != nil {
		s.cancel()
		errs = append(errs, <-s.httpErr)
		s.cancel = nil
	} else if s.httpLn != nil {
		errs = append(errs, ignoreClosed(s.httpLn.Close()))
	}
	s.httpLn = nil
	if s.worker != nil {
		s.worker.Stop()
		s.worker = nil
	}
	if s.Temporal != nil {
		s.Temporal.Close()
		s.Temporal = nil
	}
	if s.Sims != nil {
		s.Sims.Stop()
		s.Sims = nil
	}
	if s.Store != nil {
		errs = append(errs, s.Store.Close())
		s.Store = nil
	}
	if s.Server != nil {
		errs = append(errs, s.Server.Stop())
		s.Server = nil
	}
	return errors.Join(errs...)
}

func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
