package devserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"go.temporal.io/server/temporal"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// readyTimeout caps the wait for a started server to become usable when ctx has no earlier
// deadline, so a server that never comes up fails Start instead of hanging it.
const readyTimeout = time.Minute

// Server is a running embedded Temporal server and, optionally, its Web UI.
type Server struct {
	temporal     temporal.Server
	ui           *webUI
	frontendAddr string
	uiAddr       string
	namespace    string
	logGate      zap.AtomicLevel

	stopOnce sync.Once
	stopErr  error
}

// Start checks the ports, creates or opens DataDir/temporal.db, starts the server, waits until
// the frontend answers and knows the namespace, sets retention, registers the search
// attributes, then starts the UI (unless disabled) and waits until it answers HTTP. On error
// everything started so far is stopped again.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("devserver config: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("start devserver: %w", err)
	}
	p, err := planPorts(cfg.Host, cfg.FrontendPort, cfg.UIPort)
	if err != nil {
		return nil, err
	}
	sqlCfg, err := openDatabase(cfg.DataDir, clusterName, cfg.Namespace, cfg.SearchAttributes)
	if err != nil {
		return nil, err
	}
	logger, logGate := serverLogger(cfg.Logger)
	ts, err := newTemporalServer(cfg.Host, p, sqlCfg, logger)
	if err != nil {
		return nil, err
	}
	if err := ts.Start(); err != nil {
		_ = ts.Stop()
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	s := &Server{
		temporal:     ts,
		frontendAddr: net.JoinHostPort(dialHost(cfg.Host), strconv.Itoa(p.frontend)),
		namespace:    cfg.Namespace,
		logGate:      logGate,
	}

	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := s.prepareNamespace(ctx, cfg); err != nil {
		return nil, errors.Join(err, s.Stop())
	}
	if p.ui != 0 {
		s.uiAddr = "http://" + net.JoinHostPort(dialHost(cfg.Host), strconv.Itoa(p.ui))
		s.ui, err = startUI(ctx, cfg.Host, p.ui, s.frontendAddr, cfg.Namespace, s.uiAddr, cfg.CodecEndpoint, cfg.CodecIncludeCredentials)
		if err != nil {
			return nil, errors.Join(err, s.Stop())
		}
	}
	return s, nil
}

// prepareNamespace waits for the frontend, then applies retention and search attributes.
func (s *Server) prepareNamespace(ctx context.Context, cfg Config) error {
	c, err := dialWhenReady(ctx, s.frontendAddr, cfg.Namespace)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := setRetention(ctx, c, cfg.Namespace, cfg.Retention); err != nil {
		return err
	}
	return registerSearchAttributes(ctx, c, cfg.Namespace, cfg.SearchAttributes)
}

// FrontendAddress is the host:port to give client.Dial.
func (s *Server) FrontendAddress() string { return s.frontendAddr }

// UIAddress is the Web UI's base URL ("http://host:port"), or "" when the UI is disabled.
func (s *Server) UIAddress() string { return s.uiAddr }

// Namespace is the namespace the server was started with.
func (s *Server) Namespace() string { return s.namespace }

// Stop stops the UI, then the server. Later calls return the first call's result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.logGate.SetLevel(zapcore.DPanicLevel)
		if s.ui != nil {
			s.ui.stop()
		}
		if err := s.temporal.Stop(); err != nil {
			s.stopErr = fmt.Errorf("stop temporal server: %w", err)
		}
	})
	return s.stopErr
}
