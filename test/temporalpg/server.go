package temporalpg

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/temporal"

	"github.com/assessbridge/assessbridge/devserver"
	"github.com/assessbridge/assessbridge/namespace"
)

// DefaultHistoryShards is the compose stack's NUM_HISTORY_SHARDS.
const DefaultHistoryShards = 4

const (
	host             = "127.0.0.1"
	defaultNamespace = "default"
	// namespaceRefresh is how soon every service's namespace cache sees a namespace, and the
	// search attributes (aliases on SQL visibility) registered over the API.
	namespaceRefresh = time.Second
)

// Options configure Start.
type Options struct {
	// DSN names the PostgreSQL server and the login, postgres://user[:password]@host:port/db;
	// its query holds connection attributes such as sslmode. The databases are created there.
	DSN string
	// Prefix names Temporal's two databases, Prefix_temporal and Prefix_visibility: lower-case
	// letters, digits and _. Default "abtpg_" and eight random hex digits.
	Prefix string
	// DropOnStop: Stop drops both databases.
	DropOnStop bool
	// HistoryShards is fixed for the databases' life; default DefaultHistoryShards.
	HistoryShards int
	// Namespace is registered with assessbridge's search attributes; default "default".
	Namespace string
	// Logger receives the server's logs; default none.
	Logger log.Logger
}

// Server is a Temporal server running in this process on PostgreSQL.
type Server struct {
	opts                     Options
	temporalDB, visibilityDB string
	ports                    devserver.Ports
	srv                      temporal.Server // nil while stopped
}

// Start creates the databases (those that exist are kept), brings their schema to the server's
// version, starts the four services on free loopback ports and registers the namespace with
// the search attributes, as the compose stack's temporal-setup, temporal and
// temporal-namespace services do.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.DSN == "" {
		return nil, errors.New("temporalpg: no DSN")
	}
	if opts.Prefix == "" {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		opts.Prefix = "abtpg_" + hex.EncodeToString(b)
	}
	if opts.HistoryShards == 0 {
		opts.HistoryShards = DefaultHistoryShards
	}
	if opts.Namespace == "" {
		opts.Namespace = defaultNamespace
	}
	if opts.Logger == nil {
		opts.Logger = log.NewNoopLogger()
	}
	p, err := freePorts()
	if err != nil {
		return nil, fmt.Errorf("temporalpg: %w", err)
	}
	s := &Server{opts: opts, temporalDB: opts.Prefix + "_temporal", visibilityDB: opts.Prefix + "_visibility", ports: p}
	if err := CreateDatabases(opts.DSN, s.Databases()...); err != nil {
		return nil, fmt.Errorf("temporalpg: %w", err)
	}
	if err := s.start(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("temporalpg: %w", err), s.Stop())
	}
	return s, nil
}

// FrontendAddress is the gRPC host:port clients dial; it stays the same across restarts.
func (s *Server) FrontendAddress() string {
	return net.JoinHostPort(host, strconv.Itoa(s.ports.Frontend))
}

// Namespace is the namespace Start registered.
func (s *Server) Namespace() string { return s.opts.Namespace }

// Databases are the names of Temporal's database and its visibility database.
func (s *Server) Databases() []string { return []string{s.temporalDB, s.visibilityDB} }

// Restart stops the services and starts them again on the same ports and databases, running
// the schema setup first, as every `docker compose up` does.
func (s *Server) Restart(ctx context.Context) error {
	if s.srv != nil {
		err := s.srv.Stop()
		s.srv = nil
		if err != nil {
			return fmt.Errorf("temporalpg: stop: %w", err)
		}
	}
	if err := s.start(ctx); err != nil {
		return fmt.Errorf("temporalpg: restart: %w", err)
	}
	return nil
}

// Stop stops the services and, with DropOnStop, drops the databases. Calling it again does
// no harm.
func (s *Server) Stop() error {
	var errs []error
	if s.srv != nil {
		if err := s.srv.Stop(); err != nil {
			errs = append(errs, fmt.Errorf("temporalpg: stop: %w", err))
		}
		s.srv = nil
	}
	if s.opts.DropOnStop {
		if err := DropDatabases(s.opts.DSN, s.Databases()...); err != nil {
			errs = append(errs, fmt.Errorf("temporalpg: %w", err))
		}
	}
	return errors.Join(errs...)
}

func (s *Server) start(ctx context.Context) error {
	persistenceCfg, visibilityCfg, err := prepare(s.opts.DSN, s.temporalDB, s.visibilityDB)
	if err != nil {
		return err
	}
	srv, err := newServer(s.ports, persistenceCfg, visibilityCfg, s.opts)
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		_ = srv.Stop()
		return fmt.Errorf("start temporal server on postgresql: %w", err)
	}
	s.srv = srv
	return prepareNamespace(ctx, s.FrontendAddress(), s.opts.Namespace)
}

// freePorts picks the server's five listeners once, so a restart comes back on the same ones
// and the clients reconnect by themselves.
func freePorts() (devserver.Ports, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	var picked [5]int
	for i := range picked {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return devserver.Ports{}, fmt.Errorf("free port: %w", err)
		}
		ls = append(ls, l)
		picked[i] = l.Addr().(*net.TCPAddr).Port
	}
	return devserver.Ports{Frontend: picked[0], FrontendHTTP: picked[1], History: picked[2], Matching: picked[3], Worker: picked[4]}, nil
}

// newServer assembles the four Temporal services on the PostgreSQL databases, as the
// temporalio/server image does with DB=postgres12.
func newServer(p devserver.Ports, persistenceCfg, visibilityCfg *config.SQL, opts Options) (temporal.Server, error) {
	return devserver.NewTemporalServer(devserver.ServerSpec{
		FrontendHost: host,
		Ports:        p,
		Persistence: config.Persistence{
			DefaultStore:     "postgres-default",
			VisibilityStore:  "postgres-visibility",
			NumHistoryShards: int32(opts.HistoryShards),
			DataStores: map[string]config.DataStore{
				"postgres-default":    {SQL: persistenceCfg},
				"postgres-visibility": {SQL: visibilityCfg},
			},
		},
		Logger: opts.Logger,
		DynamicConfig: dynamicconfig.StaticClient{
			// The compose stack's deploy/compose/dynamicconfig.yaml: list views poll visibility.
			dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
			// The default is 2 s; a shorter wait before the namespace is usable costs a
			// small read a second per service.
			dynamicconfig.NamespaceCacheRefreshInterval.Key(): namespaceRefresh,
		},
	})
}

// prepareNamespace does what the compose stack's temporal-namespace job does, over the API:
// create the namespace (once) and register the search attributes, then wait until every service
// knows them.
func prepareNamespace(ctx context.Context, addr, ns string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: addr, Namespace: ns, Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		return fmt.Errorf("dial %s: %w", addr, err)
	}
	defer c.Close()
	// The frontend may answer before the other services do: Setup is retried as a whole.
	if err := eventually(ctx, "namespace "+ns, func() error {
		_, err := namespace.Setup(ctx, c, ns, namespace.DefaultRetention)
		return err
	}); err != nil {
		return err
	}
	if err := eventually(ctx, "namespace "+ns, func() error { return namespace.Check(ctx, c, ns) }); err != nil {
		return err
	}
	// The frontend answered from its own cache; the history service, which checks the search
	// attributes a workflow sets, refreshes its cache on its own clock.
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(2 * namespaceRefresh):
		return nil
	}
}

func eventually(ctx context.Context, what string, try func() error) error {
	for {
		err := try()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", what, errors.Join(ctx.Err(), err))
		case <-time.After(100 * time.Millisecond):
		}
	}
}
