package deploy

import (
	"os"
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

// TestReadmeListsTopLevelFolders: the README's package table names exactly the top-level folders
// of the tree (hidden ones and the build output bin/ aside), so it shows what the product is made of.
func TestReadmeListsTopLevelFolders(t *testing.T) {
	readme := string(readRepoFile(t, "README.md"))
	start := strings.Index(readme, "| package | what it holds |")
	if start < 0 {
		t.Fatal("README.md has no package table")
	}
	table, _, _ := strings.Cut(readme[start:], "\n\n")
	listed := map[string]bool{}
	for _, row := range strings.Split(table, "\n")[2:] {
		cells := strings.Split(row, "|")
		if len(cells) < 2 {
			continue
		}
		for _, quoted := range strings.Split(cells[1], "`")[1:] {
			if name, _, _ := strings.Cut(strings.TrimSpace(quoted), "/"); name != "" && !strings.ContainsAny(name, " ,") {
				listed[name] = true
			}
		}
	}
	entries, err := os.ReadDir(repoFile("."))
	if err != nil {
		t.Fatal(err)
	}
	folders := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && e.Name() != "bin" {
			folders[e.Name()] = true
			if !listed[e.Name()] {
				t.Errorf("README.md's package table does not list %s/", e.Name())
			}
		}
	}
	for name := range listed {
		if !folders[name] {
			t.Errorf("README.md's package table lists %s, which is not a top-level folder", name)
		}
	}
}
