package service

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/assessbridge/assessbridge/namespace"
)

// RequireNamespace answers /readyz with 503 and what to do while the namespace or its search
// attributes are missing: webhooks would start workflows that cannot be found by candidate, or
// none at all. Once they are there, /readyz is h's; other paths are h's throughout.
func RequireNamespace(h http.Handler, tc client.Client, ns string) http.Handler {
	var ready atomic.Bool // set up once is set up for good: no Temporal call per probe after that
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" || ready.Load() {
			h.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		err := namespace.Check(ctx, tc, ns)
		if err == nil {
			ready.Store(true)
			h.ServeHTTP(w, r)
			return
		}
		body := map[string]string{"namespace": "unreachable"} // Temporal's own state is h's to report
		if errors.Is(err, namespace.ErrNotReady) {
			body = map[string]string{"namespace": err.Error() + "; run `starter setup` (or register them as docs/production.md says)"}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_ = json.NewEncoder(w).Encode(body)
	})
}
