package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/service"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/store"
)

// deployment is the stack under test: dev (Temporal server and front door) and the workers as
// child processes, the simulators in this process.
type deployment struct {
	dataDir  string
	frontURL string
	lever    *leversim.Server
	platform *platformsim.Server
	sims     []*httptest.Server
	dev      *proc
	workers  []*proc
	tc       client.Client     // this run's own, for the final look at the workflows
	secrets  map[string]string // what must never be logged: description → value
	stopOnce sync.Once
}

// deploy starts the simulators, seeds the accounts and starts dev and the workers.
func deploy(ctx context.Context, cfg Config, p *plan) (_ *deployment, err error) {
	d := &deployment{dataDir: filepath.Join(cfg.Dir, "data"), secrets: map[string]string{}}
	defer func() {
		if err != nil {
			d.stop()
		}
	}()
	if err := os.MkdirAll(d.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	// dev comes back on the same ports after its kill, so the callback URL the workers give the
	// platform and the Temporal address the workers dial stay valid.
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	httpAddr, temporalAddr := "127.0.0.1:"+strconv.Itoa(ports[0]), "127.0.0.1:"+strconv.Itoa(ports[1])
	d.frontURL = "http://" + httpAddr

	d.lever = leversim.New(leversim.Options{Rate: -1}) // the faults below stand in for its limit
	leverURL := d.serve(d.lever)
	platformKey, callbackSecret := newSecret(), newSecret()
	d.platform = platformsim.New(platformsim.Options{APIKey: platformKey, CallbackURL: d.frontURL + "/callbacks/assessment",
		CallbackSecret: callbackSecret, HTTPClient: &http.Client{Timeout: 10 * time.Second}})
	d.platform.AddAssessment(chaosAssessment, chaosTitle)
	platformURL := d.serve(d.platform)
	secretKey := make([]byte, store.KeySize)
	historyKey := make([]byte, 32)
	_, _ = rand.Read(secretKey)
	_, _ = rand.Read(historyKey)
	settings := map[string]string{
		"ASSESSBRIDGE_DATA_DIR":                 d.dataDir,
		"ASSESSBRIDGE_STORE_DSN":                filepath.Join(d.dataDir, "assessbridge.db"),
		"ASSESSBRIDGE_SECRET_KEY":               base64.StdEncoding.EncodeToString(secretKey),
		"ASSESSBRIDGE_HISTORY_KEYS":             "chaos1:" + base64.StdEncoding.EncodeToString(historyKey),
		"ASSESSBRIDGE_TEMPORAL_ADDRESS":         temporalAddr,
		"ASSESSBRIDGE_PUBLIC_URL":               d.frontURL,
		"ASSESSBRIDGE_LEVER_API_URL":            leverURL,
		"ASSESSBRIDGE_PLATFORM_URL":             platformURL,
		"ASSESSBRIDGE_PLATFORM_API_KEY":         platformKey,
		"ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET": callbackSecret,
		"ASSESSBRIDGE_LOG_LEVEL":                "info", // as deployed
	}
	d.secrets["platform API key"] = platformKey
	d.secrets["platform callback secret"] = callbackSecret
	d.secrets["secret key"] = settings["ASSESSBRIDGE_SECRET_KEY"]
	d.secrets["history key"] = base64.StdEncoding.EncodeToString(historyKey)
	if err := d.seed(ctx, settings, leverURL, p); err != nil {
		return nil, err
	}

	env := childEnv(settings)
	d.dev = &proc{name: "dev", bin: filepath.Join(cfg.BinDir, "dev"), env: env, logPath: filepath.Join(cfg.Dir, "dev.log"),
		args: []string{"--data-dir", d.dataDir, "--http-addr", httpAddr, "--temporal-port", strconv.Itoa(ports[1]), "--ui-port", "-1", "--no-worker"}}
	if err := d.startDev(ctx); err != nil {
		return nil, err
	}
	for i := range cfg.Workers {
		w := &proc{name: fmt.Sprintf("worker %d", i+1), bin: filepath.Join(cfg.BinDir, "worker"), env: env,
			logPath: filepath.Join(cfg.Dir, fmt.Sprintf("worker-%d.log", i+1))}
		d.workers = append(d.workers, w)
		if err := d.startWorker(ctx, w); err != nil {
			return nil, err
		}
	}
	tcfg := config.Config{TemporalAddress: temporalAddr, TemporalNamespace: "default", HistoryKeys: settings["ASSESSBRIDGE_HISTORY_KEYS"]}
	if d.tc, err = service.DialTemporal(ctx, tcfg, zap.NewNop()); err != nil {
		return nil, err
	}
	return d, nil
}

// seed gives every account its stages, user, posting and candidates in simulated Lever, and
// connects it in the store, before any process reads the store.
func (d *deployment) seed(ctx context.Context, settings map[string]string, leverURL string, p *plan) error {
	cfg, err := config.Load(func(k string) string { return settings[k] })
	if err != nil {
		return err
	}
	st, err := service.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, a := range p.accounts {
		d.secrets["Lever API key of "+a.id] = a.apiKey
		d.secrets["webhook signature token of "+a.id] = a.webhookToken
		d.lever.AddAccount(a.id, a.apiKey)
		d.lever.AddUser(a.id, leversim.User{ID: chaosUser, Name: "Chaos Recruiter", Email: "recruiter@chaos.example"})
		d.lever.AddStage(a.id, stagePhone, "Phone screen")
		d.lever.AddStage(a.id, stageAssessment, "Assessment")
		d.lever.AddStage(a.id, stageOnsite, "Onsite")
		d.lever.AddPosting(a.id, leversim.Posting{ID: chaosPosting, Text: "Platform Engineer"})
		err := errors.Join(
			st.PutAccount(ctx, store.Account{ID: a.id, Name: "Chaos " + a.id, Status: store.StatusConnected, LeverBaseURL: leverURL,
				APIKey: a.apiKey, WebhookTokens: []string{a.webhookToken}, TriggerStages: []string{stageAssessment}, PerformAs: chaosUser}),
			st.PutAssessment(ctx, a.id, store.Assessment{ID: chaosAssessment, Title: chaosTitle}),
			st.MapPosting(ctx, a.id, chaosPosting, chaosAssessment),
		)
		if err != nil {
			return fmt.Errorf("seed account %s: %w", a.id, err)
		}
	}
	for _, c := range p.candidates {
		d.secrets["name of "+c.opportunity] = c.name
		d.secrets["email of "+c.opportunity] = c.email
		var tags []string
		if c.referral {
			tags = []string{referralTag}
		}
		d.lever.AddOpportunity(c.account.id, leversim.Opportunity{ID: c.opportunity, Name: c.name, Emails: []string{c.email},
			Tags: tags, StageID: stagePhone, PostingID: chaosPosting})
	}
	return nil
}

// startDev starts dev and waits until its front door reports Temporal and the store reachable.
func (d *deployment) startDev(ctx context.Context) error {
	if _, err := d.dev.start(); err != nil {
		return err
	}
	hc := &http.Client{Timeout: 2 * time.Second}
	return d.dev.awaitReady(ctx, 2*time.Minute, func(ctx context.Context) bool {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.frontURL+"/readyz", nil)
		if err != nil {
			return false
		}
		resp, err := hc.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// startWorker starts a worker and waits for its "worker polling" line.
func (d *deployment) startWorker(ctx context.Context, w *proc) error {
	offset, err := w.start()
	if err != nil {
		return err
	}
	return w.awaitReady(ctx, time.Minute, func(context.Context) bool {
		return bytes.Contains(w.logSince(offset), []byte(`"worker polling"`))
	})
}

// stop ends everything, once: workers, then dev (gracefully, so its logs are complete), then
// the simulators.
func (d *deployment) stop() { d.stopOnce.Do(d.stopAll) }

func (d *deployment) stopAll() {
	for _, w := range d.workers {
		w.stop(10 * time.Second)
	}
	if d.dev != nil {
		d.dev.stop(30 * time.Second)
	}
	if d.tc != nil {
		d.tc.Close()
	}
	for _, srv := range d.sims {
		srv.Close()
	}
}

// serve runs a simulator on a loopback port the OS picks: the simulators live as long as the
// run, so their ports need not be planned.
func (d *deployment) serve(h http.Handler) string {
	srv := httptest.NewServer(h)
	d.sims = append(d.sims, srv)
	return srv.URL
}

// freePorts finds n free loopback ports below the kernel's ephemeral range (32768 up), so no
// outgoing connection can take one while dev is down between its kill and its restart.
func freePorts(n int) ([]int, error) {
	var ports []int
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for tries := 0; len(ports) < n; tries++ {
		if tries == 200 {
			return nil, errors.New("no free port between 20000 and 32000")
		}
		port := 20000 + mathrand.IntN(12000) // not the run's seed: ports need not repeat
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			continue
		}
		held = append(held, l)
		ports = append(ports, port)
	}
	return ports, nil
}

// childEnv is the whole environment of a child: the settings and the little a process needs,
// nothing inherited that could change the run.
func childEnv(settings map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + os.TempDir()}
	for k, v := range settings {
		env = append(env, k+"="+v)
	}
	return env
}

func newSecret() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
