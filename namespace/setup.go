package namespace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/assessbridge/assessbridge/workflows"
)

// DefaultRetention is how long a new namespace keeps closed workflows: long enough to look up a
// candidate's journey weeks after it ended (the server's own default is one day).
const DefaultRetention = 30 * 24 * time.Hour

// ErrNotReady is wrapped by Check's errors: the namespace or its search attributes are missing.
var ErrNotReady = errors.New("namespace not set up")

// Report says what Setup did.
type Report struct {
	CreatedNamespace bool
	AddedAttributes  []string
}

// Setup creates the namespace when it is missing, keeping closed workflows for retention, and
// registers the search attributes that are missing. Running it again changes nothing. A
// namespace just created reaches the server's namespace cache within seconds; until then the
// attributes are retried, so ctx bounds the wait.
func Setup(ctx context.Context, c client.Client, ns string, retention time.Duration) (Report, error) {
	var rep Report
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: ns})
	var notFound *serviceerror.NamespaceNotFound
	switch {
	case errors.As(err, &notFound):
		_, err := c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace: ns, WorkflowExecutionRetentionPeriod: durationpb.New(retention),
			Description: "assessbridge: one workflow per candidate's assessment journey",
		})
		var exists *serviceerror.NamespaceAlreadyExists
		if err != nil && !errors.As(err, &exists) {
			return rep, fmt.Errorf("register namespace %q: %w", ns, err)
		}
		rep.CreatedNamespace = err == nil
	case err != nil:
		return rep, fmt.Errorf("describe namespace %q: %w", ns, err)
	}
	for {
		missing, err := missingAttributes(ctx, c, ns)
		if err == nil && len(missing) == 0 {
			return rep, nil
		}
		if err == nil {
			if err = addAttributes(ctx, c, ns, missing); err == nil {
				rep.AddedAttributes = missing
				return rep, nil
			}
		}
		if !isNamespaceNotFound(err) {
			return rep, fmt.Errorf("namespace %q: %w", ns, err)
		}
		select {
		case <-ctx.Done():
			return rep, fmt.Errorf("namespace %q: waiting for the server to know it: %w", ns, errors.Join(ctx.Err(), err))
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// Check reports, wrapping ErrNotReady, when the namespace or any search attribute is missing.
func Check(ctx context.Context, c client.Client, ns string) error {
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: ns})
	if isNamespaceNotFound(err) {
		return fmt.Errorf("%w: namespace %q does not exist", ErrNotReady, ns)
	}
	if err != nil {
		return fmt.Errorf("describe namespace %q: %w", ns, err)
	}
	missing, err := missingAttributes(ctx, c, ns)
	if isNamespaceNotFound(err) {
		return fmt.Errorf("%w: namespace %q is not known to the server yet", ErrNotReady, ns)
	}
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: namespace %q lacks the search attributes %s", ErrNotReady, ns, strings.Join(missing, ", "))
	}
	return nil
}

func missingAttributes(ctx context.Context, c client.Client, ns string) ([]string, error) {
	have, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: ns})
	if err != nil {
		return nil, fmt.Errorf("list search attributes: %w", err)
	}
	var missing []string
	for _, name := range workflows.SearchAttributeNames() {
		if _, ok := have.GetCustomAttributes()[name]; !ok {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing, nil
}

// isNamespaceNotFound: the frontend answers NamespaceNotFound, the operator service a plain
// NotFound naming the namespace.
func isNamespaceNotFound(err error) bool {
	var nsNotFound *serviceerror.NamespaceNotFound
	var notFound *serviceerror.NotFound
	return errors.As(err, &nsNotFound) || (errors.As(err, &notFound) && strings.Contains(strings.ToLower(notFound.Error()), "namespace"))
}
