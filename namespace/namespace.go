// Package namespace prepares a Temporal namespace for assessbridge: the search attributes
// operators filter on in the Web UI. It is idempotent, so every process may run it at start.
package namespace

import (
	"context"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
)

// RegisterSearchAttributes adds the workflow's Keyword search attributes that are missing.
func RegisterSearchAttributes(ctx context.Context, c client.Client, ns string) error {
	missing, err := missingAttributes(ctx, c, ns)
	if err != nil {
		return err
	}
	return addAttributes(ctx, c, ns, missing)
}

// addAttributes registers the named search attributes as Keywords; none is no call.
func addAttributes(ctx context.Context, c client.Client, ns string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	add := make(map[string]enumspb.IndexedValueType, len(names))
	for _, name := range names {
		add[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
	}
	_, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: ns, SearchAttributes: add})
	if err != nil {
		return fmt.Errorf("add search attributes: %w", err)
	}
	return nil
}
