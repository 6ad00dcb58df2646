package deploy

import (
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/metrics"
)

// TestDocsListMetrics: every metric assessbridge records is explained in docs/production.md.
func TestDocsListMetrics(t *testing.T) {
	doc := string(readRepoFile(t, "docs/production.md"))
	for _, name := range []string{metrics.WebhooksReceived, metrics.WebhookForgeries, metrics.CallbacksReceived, metrics.WorkflowStarts,
		metrics.LeverRequests, metrics.LeverRateLimited, metrics.LeverLimiterWait, metrics.JourneyDuration} {
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("docs/production.md does not list %s", name)
		}
	}
}
