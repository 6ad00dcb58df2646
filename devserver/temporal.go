package devserver

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/temporal"
)

// clusterName names the single local cluster; it is stored in the file, so it never changes.
const clusterName = "active"

// dataStoreName is the one persistence store, used for both execution and visibility data.
const dataStoreName = "sqlite-default"

// Ports are the four services' gRPC ports and the frontend's HTTP port.
type Ports struct{ Frontend, FrontendHTTP, History, Matching, Worker int }

// ServerSpec is a single-host Temporal server: where it listens and what it persists to.
type ServerSpec struct {
	// FrontendHost is the IP the frontend listens on (0.0.0.0 for every interface); history,
	// matching and the worker service listen on loopback only.
	FrontendHost  string
	Ports         Ports
	Persistence   config.Persistence
	Logger        log.Logger
	DynamicConfig dynamicconfig.StaticClient
}

// NewTemporalServer assembles (but does not start) the four services of one host: the embedded
// server on its SQLite file, and test/temporalpg's on PostgreSQL.
func NewTemporalServer(spec ServerSpec) (temporal.Server, error) {
	p := spec.Ports
	frontendAddr := net.JoinHostPort(dialHost(spec.FrontendHost), strconv.Itoa(p.Frontend))
	frontendHTTPAddr := net.JoinHostPort(dialHost(spec.FrontendHost), strconv.Itoa(p.FrontendHTTP))
	internalAddr := func(port int) string { return net.JoinHostPort(internalHost, strconv.Itoa(port)) }

	conf := &config.Config{}
	conf.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: internalHost}
	conf.Persistence = spec.Persistence
	conf.ClusterMetadata = &cluster.Config{
		EnableGlobalNamespace:    false,
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontendAddr, HTTPAddress: frontendHTTPAddr},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{
		string(primitives.FrontendService): {RPC: config.RPC{GRPCPort: p.Frontend, HTTPPort: p.FrontendHTTP, BindOnIP: spec.FrontendHost}},
		string(primitives.HistoryService):  {RPC: config.RPC{GRPCPort: p.History, BindOnIP: internalHost}},
		string(primitives.MatchingService): {RPC: config.RPC{GRPCPort: p.Matching, BindOnIP: internalHost}},
		string(primitives.WorkerService):   {RPC: config.RPC{GRPCPort: p.Worker, BindOnIP: internalHost}},
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	// The worker service's own SDK client dials this; the server panics without it.
	conf.PublicClient.HostPort = frontendAddr

	logger := spec.Logger
	if logger == nil {
		logger = log.NewNoopLogger()
	}
	authorizer, err := authorization.GetAuthorizerFromConfig(&conf.Global.Authorization)
	if err != nil {
		return nil, fmt.Errorf("create authorizer: %w", err)
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&conf.Global.Authorization, logger)
	if err != nil {
		return nil, fmt.Errorf("create claim mapper: %w", err)
	}

	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(map[primitives.ServiceName]static.Hosts{
			primitives.FrontendService: static.SingleLocalHost(frontendAddr),
			primitives.HistoryService:  static.SingleLocalHost(internalAddr(p.History)),
			primitives.MatchingService: static.SingleLocalHost(internalAddr(p.Matching)),
			primitives.WorkerService:   static.SingleLocalHost(internalAddr(p.Worker)),
		}),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(spec.DynamicConfig),
	)
	if err != nil {
		return nil, fmt.Errorf("create temporal server: %w", err)
	}
	return srv, nil
}

// newTemporalServer is the embedded server: one SQLite file for execution and visibility data.
func newTemporalServer(frontendHost string, p ports, sqlCfg *config.SQL, logger log.Logger) (temporal.Server, error) {
	return NewTemporalServer(ServerSpec{
		FrontendHost: frontendHost,
		Ports:        Ports{Frontend: p.frontend, FrontendHTTP: p.frontendHTTP, History: p.history, Matching: p.matching, Worker: p.worker},
		Persistence: config.Persistence{
			DefaultStore:     dataStoreName,
			VisibilityStore:  dataStoreName,
			NumHistoryShards: 1, // one process, one writer: more shards only add SQLite contention
			DataStores:       map[string]config.DataStore{dataStoreName: {SQL: sqlCfg}},
		},
		Logger:        logger,
		DynamicConfig: dynamicConfig(),
	})
}

// dynamicConfig tunes the server for one developer machine.
func dynamicConfig() dynamicconfig.StaticClient {
	return dynamicconfig.StaticClient{
		// The Web UI polls list and count queries; the default per-namespace limit (10/s)
		// makes a busy page fail intermittently.
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
		// The default mutable-state cache (128k entries) is sized for a cluster host; a laptop
		// process needs far less memory held.
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key(): 8192,
	}
}
