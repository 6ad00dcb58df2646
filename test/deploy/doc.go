// Package deploy holds the checks of what a production deployment relies on, run by `make test`
// since Docker is not available where the tests run: docker-compose.yml, the Dockerfile and
// .env.example against the config package; api/openapi.yaml against the router's real routes;
// and a whole journey's /metrics and logs. The compose stack's helper scripts live in compose/.
package deploy
