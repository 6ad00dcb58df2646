// Package temporalpg runs a Temporal server in this process persisting to PostgreSQL, the
// persistence docker-compose.yml runs: the server's own postgres12 plugin on databases whose
// schema comes from the server's own schema package (set up to 0.0, then every versioned
// update, as temporal-sql-tool does in the compose stack), 4 history shards, and the namespace
// registered with assessbridge's search attributes. Start creates the databases; Stop can drop
// them.
//
// Its test is the proof that assessbridge runs there: whole candidate journeys against the
// simulators, the server restarted midway and every history found intact. It runs when
// ASSESSBRIDGE_TEST_POSTGRES_DSN names a PostgreSQL server the test may create databases on.
// The benchmark (bench -temporal-postgres) runs its Temporal server with this package too.
package temporalpg
