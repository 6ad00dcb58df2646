// Package lever simulates Lever's API v1 and webhooks for tests and local runs: a real
// http.Handler speaking Lever's wire format (auth, rate limit, pagination, error bodies,
// signed webhook deliveries), with injectable faults. Importers alias it leversim.
package lever
