package deploy

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/server/temporaltest"

	"github.com/assessbridge/assessbridge/namespace"
)

// tsrv is one Temporal server for the package's journeys: starting one costs about a second.
var tsrv *temporaltest.TestServer

func temporalServer(t *testing.T) *temporaltest.TestServer {
	t.Helper()
	if tsrv == nil {
		tsrv = temporaltest.NewServer()
		if err := namespace.RegisterSearchAttributes(context.Background(), tsrv.GetDefaultClient(), tsrv.GetDefaultNamespace()); err != nil {
			t.Fatalf("register search attributes: %v", err)
		}
	}
	return tsrv
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tsrv != nil {
		tsrv.Stop()
	}
	os.Exit(code)
}

// repoFile is the path of a file at the repository's root (tests run in the package's directory).
func repoFile(name string) string { return filepath.Join("..", "..", filepath.FromSlash(name)) }

func readRepoFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(repoFile(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
