package envaccount

import (
	"context"
	"fmt"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/catalogue"
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
	listed, err := c.ListAssessments(ctx)
	if err != nil {
		return 0, fmt.Errorf("environment account %q: list the platform's assessments (ASSESSBRIDGE_PLATFORM_URL, ASSESSBRIDGE_PLATFORM_API_KEY): %w",
			config.EnvAccountID, err)
	}
	list := catalogue.FromPlatform(listed)
	if err := catalogue.Check(list); err != nil {
		return 0, fmt.Errorf("environment account %q: catalogue not saved: %w", config.EnvAccountID, err)
	}
	if err := st.ReplaceAssessments(ctx, config.EnvAccountID, list); err != nil {
		return 0, fmt.Errorf("environment account %q: save the catalogue: %w", config.EnvAccountID, err)
	}
	return len(list), nil
}
