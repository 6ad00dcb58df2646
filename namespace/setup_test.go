package namespace_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/temporal"
	"go.temporal.io/server/temporaltest"

	"github.com/assessbridge/assessbridge/namespace"
	"github.com/assessbridge/assessbridge/workflows"
)

// TestSetup: on a server without the namespace, Check says so, Setup creates it with the
// retention and the search attributes, Check is then satisfied, and a second Setup changes
// nothing. On a namespace that exists without the attributes, Setup only adds them.
func TestSetup(t *testing.T) {
	ts := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseServerOptions(
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			// A namespace registered over the API reaches the frontend's cache in a second, not ten.
			dynamicconfig.NamespaceCacheRefreshInterval.Key():           time.Second,
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
		})))
	all := workflows.SearchAttributeNames()
	slices.Sort(all)
	tests := []struct {
		name, ns    string
		wantCheck   string // before setup
		wantCreated bool
	}{
		{name: "missing namespace", ns: "assessbridge-fresh", wantCheck: `namespace "assessbridge-fresh" does not exist`, wantCreated: true},
		{name: "namespace without attributes", ns: ts.GetDefaultNamespace(), wantCheck: "lacks the search attributes " + strings.Join(all, ", ")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c := ts.NewClientWithOptions(client.Options{Namespace: tt.ns})
			err := namespace.Check(ctx, c, tt.ns)
			if !errors.Is(err, namespace.ErrNotReady) || !strings.Contains(err.Error(), tt.wantCheck) {
				t.Fatalf("check before setup: got %v, want ErrNotReady saying %q", err, tt.wantCheck)
			}
			rep, err := namespace.Setup(ctx, c, tt.ns, 72*time.Hour)
			if err != nil {
				t.Fatalf("setup: %v", err)
			}
			if rep.CreatedNamespace != tt.wantCreated || !slices.Equal(rep.AddedAttributes, all) {
				t.Errorf("setup: got %+v, want created %v and attributes %v", rep, tt.wantCreated, all)
			}
			if err := namespace.Check(ctx, c, tt.ns); err != nil {
				t.Errorf("check after setup: %v", err)
			}
			if tt.wantCreated {
				d, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: tt.ns})
				if err != nil || d.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration() != 72*time.Hour {
					t.Errorf("retention: got %v (%v), want 72h", d.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(), err)
				}
			}
			again, err := namespace.Setup(ctx, c, tt.ns, 72*time.Hour)
			if err != nil || again.CreatedNamespace || len(again.AddedAttributes) > 0 {
				t.Errorf("second setup: got %+v, %v; want nothing done", again, err)
			}
		})
	}
}
