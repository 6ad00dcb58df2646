// Package temporalpg is the proof that assessbridge runs on a Temporal server persisting to
// PostgreSQL, the persistence docker-compose.yml runs: its tests start an in-process server with
// the server's own postgres12 plugin on fresh databases whose schema comes from the server's own
// schema package (set up to 0.0, then every versioned update, as temporal-sql-tool does in the
// compose stack), run whole candidate journeys against the simulators, restart the server midway
// and find every history intact. They run when ASSESSBRIDGE_TEST_POSTGRES_DSN names a PostgreSQL
// server the tests may create databases on.
package temporalpg
