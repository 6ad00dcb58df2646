package envaccount

import (
	"context"
	"fmt"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/store"
)

// Catalogue lists the assessments candidates can be invited to (the platform client).
type Catalogue interface {
	ListAssessments(ctx context.Context) ([]assessment.Assessment, error)
}

// SyncCatalogue makes the environment account's catalogue the platform's current list, as the
// admin page's refresh does: without an admin page this is how candidate tags naming an
// assessment title and posting tags naming its id find it. It returns how many are listed.
// assessment.IsRetryable tells a passing outage from a refused request (wrong key or URL).
func SyncCatalogue(ctx context.Context, st *store.Store, c Catalogue) (int, error) {
	list, err := c.ListAssessments(ctx)
	if err != nil {
		return 0, fmt.Errorf("environment account %q: list the platform's assessments (ASSESSBRIDGE_PLATFORM_URL, ASSESSBRIDGE_PLATFORM_API_KEY): %w",
			config.EnvAccountID, err)
	}
	catalogue := make([]store.Assessment, 0, len(list))
	for _, as := range list {
		if as.ID != "" && as.Title != "" {
			catalogue = append(catalogue, store.Assessment{ID: as.ID, Title: as.Title})
		}
	}
	if err := st.ReplaceAssessments(ctx, config.EnvAccountID, catalogue); err != nil {
		return 0, fmt.Errorf("environment account %q: save the catalogue: %w", config.EnvAccountID, err)
	}
	return len(catalogue), nil
}
