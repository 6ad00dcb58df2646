// Package lever simulates Lever's API v1 and webhooks for tests and local runs: a real
// http.Handler speaking Lever's wire format (auth, rate limit, pagination, error bodies,
// signed webhook deliveries, the webhooks API), with injectable faults. With
// Options.OAuthClientID set it is also Lever's OAuth server: a consent page at
// /authorize and the token endpoint at /oauth/token; its access tokens reach only the routes
// their scopes cover, while AddAccount's token, like an API key, reaches all of them.
// Importers alias it leversim.
package lever
