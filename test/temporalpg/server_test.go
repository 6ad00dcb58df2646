package temporalpg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/temporal"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/assessbridge/assessbridge/namespace"
)

const (
	host        = "127.0.0.1"
	clusterName = "active"
	testNS      = "default"
)

// ports are the server's five listeners, picked once so a restart comes back on the same ones
// and the stack's clients reconnect by themselves.
type ports struct{ frontend, frontendHTTP, history, matching, worker int }

func freePorts(t *testing.T) ports {
	t.Helper()
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	pick := func() int {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		return l.Addr().(*net.TCPAddr).Port
	}
	return ports{pick(), pick(), pick(), pick(), pick()}
}

func (p ports) frontendAddr() string { return net.JoinHostPort(host, strconv.Itoa(p.frontend)) }

// startServer starts the four Temporal services in this process on the PostgreSQL databases,
// as the temporalio/server image does with DB=postgres12 (4 history shards, like the stack).
func startServer(t *testing.T, p ports, persistenceCfg, visibilityCfg *config.SQL) temporal.Server {
	t.Helper()
	addr := func(port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }
	conf := &config.Config{}
	conf.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: host}
	conf.Persistence = config.Persistence{
		DefaultStore:     "postgres-default",
		VisibilityStore:  "postgres-visibility",
		NumHistoryShards: 4,
		DataStores: map[string]config.DataStore{
			"postgres-default":    {SQL: persistenceCfg},
			"postgres-visibility": {SQL: visibilityCfg},
		},
	}
	conf.ClusterMetadata = &cluster.Config{
		EnableGlobalNamespace:    false,
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: p.frontendAddr(), HTTPAddress: addr(p.frontendHTTP)},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{
		string(primitives.FrontendService): {RPC: config.RPC{GRPCPort: p.frontend, HTTPPort: p.frontendHTTP, BindOnIP: host}},
		string(primitives.HistoryService):  {RPC: config.RPC{GRPCPort: p.history, BindOnIP: host}},
		string(primitives.MatchingService): {RPC: config.RPC{GRPCPort: p.matching, BindOnIP: host}},
		string(primitives.WorkerService):   {RPC: config.RPC{GRPCPort: p.worker, BindOnIP: host}},
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = p.frontendAddr()

	logger := log.NewNoopLogger()
	authorizer, err := authorization.GetAuthorizerFromConfig(&conf.Global.Authorization)
	if err != nil {
		t.Fatal(err)
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&conf.Global.Authorization, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(map[primitives.ServiceName]static.Hosts{
			primitives.FrontendService: static.SingleLocalHost(p.frontendAddr()),
			primitives.HistoryService:  static.SingleLocalHost(addr(p.history)),
			primitives.MatchingService: static.SingleLocalHost(addr(p.matching)),
			primitives.WorkerService:   static.SingleLocalHost(addr(p.worker)),
		}),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			// A namespace and search attributes registered over the API are usable at once
			// instead of after the caches' refresh (as the compose stack's UI would see them).
			dynamicconfig.NamespaceCacheRefreshInterval.Key():           time.Second,
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
		}),
	)
	if err != nil {
		t.Fatalf("create temporal server: %v", err)
	}
	if err := srv.Start(); err != nil {
		_ = srv.Stop()
		t.Fatalf("start temporal server on postgresql: %v", err)
	}
	return srv
}

// prepareNamespace does what the compose stack's temporal-namespace job does, over the API:
// register the namespace (once) and the search attributes, then waits until the namespace
// answers.
func prepareNamespace(t *testing.T, addr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: addr, Namespace: testNS, Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer c.Close()
	_, err = c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: testNS, WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		t.Fatalf("register namespace: %v", err)
	}
	eventually(t, ctx, "namespace "+testNS, func() error {
		_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: testNS})
		return err
	})
	eventually(t, ctx, "search attributes", func() error {
		return namespace.RegisterSearchAttributes(ctx, c, testNS)
	})
}

func eventually(t *testing.T, ctx context.Context, what string, try func() error) {
	t.Helper()
	for {
		err := try()
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %v", what, fmt.Errorf("%w: %w", ctx.Err(), err))
		case <-time.After(100 * time.Millisecond):
		}
	}
}
