package lever

import (
	"strings"
	"time"
)

// Observer is told about every attempt the client makes and every wait on its rate limiter, for
// metrics. It must be safe for concurrent use and quick: it runs on the request path.
type Observer interface {
	// LeverRequest reports one attempt. endpoint is the path with ids replaced by ":id" (e.g.
	// "/opportunities/:id/notes"), so it names the endpoint and never a candidate; status is the
	// HTTP status, 0 when no answer came.
	LeverRequest(method, endpoint string, status int)
	// LeverLimiterWait reports how long an attempt waited for the limiter.
	LeverLimiterWait(waited time.Duration)
}

// WithObserver reports attempts and limiter waits to o.
func WithObserver(o Observer) Option {
	return func(c *Client) { c.observer = o }
}

// endpointOf replaces the ids in an API path: Lever's paths alternate collection and id
// ("/opportunities/{id}/notes", "/feedback_templates/{id}"), so every second segment is an id.
func endpointOf(path string) string {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for i := 1; i < len(segs); i += 2 {
		segs[i] = ":id"
	}
	return "/" + strings.Join(segs, "/")
}
