package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/service"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// stack is one scenario's deployment: a Temporal server process, the production worker binary
// as worker processes, and in this process the simulators, the store and the front door (the
// starter's handler), all on loopback ports.
type stack struct {
	dir      string
	binDir   string
	temporal *temporalProc
	settings map[string]string // the environment a worker process gets
	cfg      config.Config
	store    *store.Store
	lever    *leversim.Server
	leverIn  *inflight // requests (simulated) Lever is answering right now
	platform *platformsim.Server
	tc       client.Client // the bench's own: raw starts, visibility counts
	frontTC  client.Client // the front door's
	frontURL string
	hooks    *hookSender
	workers  []*child
	log      func(format string, args ...any)

	servers   []*http.Server
	stopFront context.CancelFunc
	frontDone chan error
}

type stackOptions struct {
	taskQueue string                // default workflows.TaskQueue
	autoPlay  *platformsim.AutoPlay // nil: candidates act only when the bench says so
	// serverProfile, when set, is where the server process writes its CPU profile (on stop).
	serverProfile string
}

func startStack(ctx context.Context, r *runner, name string, opts stackOptions) (_ *stack, err error) {
	s := &stack{dir: filepath.Join(r.runDir, name), binDir: r.binDir, log: r.log}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("stack dir: %w", err)
	}
	server := serverOptions{cpuProfile: opts.serverProfile, postgresDSN: r.temporalPostgres, keep: r.keep}
	if s.temporal, err = startTemporal(ctx, r.self, s.dir, server); err != nil {
		return nil, err
	}
	if opts.taskQueue == "" {
		opts.taskQueue = workflows.TaskQueue
	}

	// Lever as Lever is: its real per-account limit, no faults.
	s.lever = leversim.New(leversim.Options{Rate: leverRate, Burst: leverBurst})
	s.leverIn = &inflight{next: s.lever}
	leverURL, err := s.serve(s.leverIn)
	if err != nil {
		return nil, err
	}
	frontLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("front door: %w", err)
	}
	defer func() {
		if err != nil { // served (and closed by Serve) only once everything else is up
			frontLn.Close()
		}
	}()
	s.frontURL = "http://" + frontLn.Addr().String()
	platformKey, callbackSecret := randomHex(24), randomHex(24)
	s.platform = platformsim.New(platformsim.Options{
		APIKey: platformKey, CallbackURL: s.frontURL + "/callbacks/assessment", CallbackSecret: callbackSecret,
		HTTPClient: pooledClient(), AutoPlay: opts.autoPlay,
	})
	s.platform.AddAssessment(assessmentID, assessmentTitle)
	platformURL, err := s.serve(s.platform)
	if err != nil {
		return nil, err
	}

	key := make([]byte, store.KeySize)
	_, _ = rand.Read(key)
	s.settings = map[string]string{
		"ASSESSBRIDGE_TEMPORAL_ADDRESS":         s.temporal.address,
		"ASSESSBRIDGE_TASK_QUEUE":               opts.taskQueue,
		"ASSESSBRIDGE_DATA_DIR":                 s.dir,
		"ASSESSBRIDGE_STORE_DSN":                filepath.Join(s.dir, "assessbridge.db"),
		"ASSESSBRIDGE_SECRET_KEY":               base64.StdEncoding.EncodeToString(key),
		"ASSESSBRIDGE_HTTP_ADDR":                frontLn.Addr().String(),
		"ASSESSBRIDGE_PUBLIC_URL":               s.frontURL,
		"ASSESSBRIDGE_LEVER_API_URL":            leverURL,
		"ASSESSBRIDGE_PLATFORM_URL":             platformURL,
		"ASSESSBRIDGE_PLATFORM_API_KEY":         platformKey,
		"ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET": callbackSecret,
		"ASSESSBRIDGE_LOG_LEVEL":                "info", // as deployed
	}
	if s.cfg, err = config.Load(func(k string) string { return s.settings[k] }); err != nil {
		return nil, err
	}
	if s.store, err = service.OpenStore(ctx, s.cfg); err != nil {
		return nil, err
	}
	if s.tc, err = service.DialTemporal(ctx, s.cfg, zap.NewNop()); err != nil {
		return nil, err
	}
	if s.frontTC, err = service.DialTemporal(ctx, s.cfg, zap.NewNop()); err != nil {
		return nil, err
	}
	frontLog, err := fileLogger(filepath.Join(s.dir, "front-door.log"))
	if err != nil {
		return nil, err
	}
	h, err := service.NewHandler(s.frontTC, s.store, s.cfg, frontLog)
	if err != nil {
		return nil, err
	}
	frontCtx, cancel := context.WithCancel(context.Background())
	s.stopFront, s.frontDone = cancel, make(chan error, 1)
	go func() { s.frontDone <- service.Serve(frontCtx, frontLn, h) }()
	s.hooks = newHookSender(s.frontURL)
	return s, nil
}

// startWorkers runs n production worker processes and waits until each polls the task queue.
func (s *stack) startWorkers(ctx context.Context, n int) error {
	for range n {
		name := fmt.Sprintf("worker %d", len(s.workers)+1)
		w, err := startChild(name, filepath.Join(s.binDir, "worker"), nil, baseEnv(s.settings),
			filepath.Join(s.dir, fmt.Sprintf("worker-%d.log", len(s.workers)+1)))
		if err != nil {
			return err
		}
		s.workers = append(s.workers, w)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		ok, err := s.polling(ctx, len(s.workers))
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		for _, w := range s.workers {
			select {
			case err := <-w.done:
				return fmt.Errorf("%s exited at start (%v): %s", w.name, err, w.logTail())
			default:
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("workers not polling after a minute: %s", s.workers[0].logTail())
		}
		if err := pause(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

// polling reports whether every running worker process polls both the workflow and the
// activity queue. Pollers are told apart by the SDK's default identity ("pid@host@"): the
// server keeps listing a killed worker's pollers for a while.
func (s *stack) polling(ctx context.Context, n int) (bool, error) {
	for _, kind := range []enumspb.TaskQueueType{enumspb.TASK_QUEUE_TYPE_WORKFLOW, enumspb.TASK_QUEUE_TYPE_ACTIVITY} {
		resp, err := s.tc.DescribeTaskQueue(ctx, s.cfg.TaskQueue, kind)
		if err != nil {
			return false, fmt.Errorf("describe task queue: %w", err)
		}
		ids := map[string]bool{}
		for _, p := range resp.GetPollers() {
			ids[p.GetIdentity()] = true
		}
		seen := 0
		for _, pid := range s.workerPIDs() {
			for id := range ids {
				if strings.HasPrefix(id, fmt.Sprintf("%d@", pid)) {
					seen++
					break
				}
			}
		}
		if seen < n {
			return false, nil
		}
	}
	return true, nil
}

// killWorker ends worker i with SIGKILL, as a crash would: no graceful stop, its in-flight
// tasks are left to the server's timeouts. It returns when the process is gone.
func (s *stack) killWorker(i int) time.Time {
	w := s.workers[i]
	at := time.Now()
	_ = w.cmd.Process.Kill()
	<-w.done
	s.workers = slices.Delete(s.workers, i, i+1)
	return at
}

// stopWorkers kills the worker processes: a scenario that ends mid-backlog need not wait for
// their in-flight activities.
func (s *stack) stopWorkers() {
	for _, w := range s.workers {
		_ = w.stop(2 * time.Second)
	}
	s.workers = nil
}

// stop tears everything down, workers first, the server last.
func (s *stack) stop() {
	s.stopWorkers()
	if s.stopFront != nil {
		s.stopFront()
		<-s.frontDone
	}
	for _, c := range []client.Client{s.frontTC, s.tc} {
		if c != nil {
			c.Close()
		}
	}
	for _, srv := range s.servers {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = srv.Shutdown(ctx)
		cancel()
	}
	if s.platform != nil {
		s.platform.SetAutoPlay(nil)
	}
	if s.store != nil {
		_ = s.store.Close()
	}
	if s.temporal != nil {
		if err := s.temporal.shutdown(20 * time.Second); err != nil && len(s.temporal.databases) > 0 {
			s.log("temporal server: %v", err) // databases may be left behind
		}
		if s.temporal.opts.keep && len(s.temporal.databases) > 0 {
			s.log("temporal server's databases kept: %s", strings.Join(s.temporal.databases, ", "))
		}
	}
}

func (s *stack) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	s.servers = append(s.servers, srv)
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// workerPIDs are the running worker processes' ids.
func (s *stack) workerPIDs() []int {
	var pids []int
	for _, w := range s.workers {
		pids = append(pids, w.cmd.Process.Pid)
	}
	return pids
}

// inflight counts the requests a handler is serving at the moment.
type inflight struct {
	next http.Handler
	n    atomic.Int64
}

func (f *inflight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.n.Add(1)
	defer f.n.Add(-1)
	f.next.ServeHTTP(w, r)
}

// pooledClient keeps enough idle connections for the bench's concurrency, so the figures are
// not about TCP set-up on loopback.
func pooledClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 256
	return &http.Client{Timeout: 30 * time.Second, Transport: t}
}

// fileLogger is the production JSON logger (logging.New) writing to a file instead of stderr.
func fileLogger(path string) (*zap.Logger, error) {
	cfg := zap.NewProductionConfig()
	cfg.Sampling = nil
	cfg.OutputPaths, cfg.ErrorOutputPaths = []string{path}, []string{path}
	z, err := cfg.Build()
	if err != nil {
		return nil, fmt.Errorf("logger: %w", err)
	}
	return z, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// pause waits d unless ctx ends first.
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
