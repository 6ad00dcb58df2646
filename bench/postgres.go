package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	"github.com/assessbridge/assessbridge/test/temporalpg"
)

// postgresNote says, for the results, where the server of a -temporal-postgres run kept its
// data; the DSN's credentials are left out.
func postgresNote(dsn string) string {
	where := "an unparsable DSN"
	if u, err := url.Parse(dsn); err == nil && u.Host != "" {
		where = u.Host
	}
	return fmt.Sprintf("Temporal server: PostgreSQL at %s (postgres12 plugin, %d history shards; fresh temporal and visibility databases per scenario), "+
		"in-process in its own child as in test/temporalpg; the assessbridge store stays SQLite. PostgreSQL's own processes are outside the server's RSS and CPU figures.",
		where, temporalpg.DefaultHistoryShards)
}

const sqliteNote = "Temporal server: embedded SQLite (devserver, as dev runs it) in its own child, a fresh file per scenario."

// openPostgres connects to the database the DSN names (with the "pgx" driver the store
// registers), for the bench's own look-ups.
func openPostgres(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return db, nil
}

// databaseSize is the disk the named databases take (pg_database_size: tables, indexes and
// the catalogue every database has).
func databaseSize(ctx context.Context, dsn string, names []string) (int64, error) {
	db, err := openPostgres(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var total int64
	for _, name := range names {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT pg_database_size($1)", name).Scan(&n); err != nil {
			return 0, fmt.Errorf("size of database %s: %w", name, err)
		}
		total += n
	}
	return total, nil
}

// postgresCPU is the CPU time so far of the PostgreSQL processes serving the named databases
// and of its background ones (WAL writer, checkpointer, autovacuum…), by process id. They can
// be read only when PostgreSQL runs on this machine; a connection that ended is not counted.
func postgresCPU(ctx context.Context, dsn string, names []string) (map[int]time.Duration, error) {
	db, err := openPostgres(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity
		WHERE pid <> pg_backend_pid() AND (datname = ANY($1) OR backend_type <> 'client backend')`, names)
	if err != nil {
		return nil, fmt.Errorf("postgres processes: %w", err)
	}
	defer rows.Close()
	out := map[int]time.Duration{}
	var missing error
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return nil, fmt.Errorf("postgres processes: %w", err)
		}
		t, err := cpuTime(pid)
		if err != nil { // gone since the query, or not on this machine
			missing = err
			continue
		}
		out[pid] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres processes: %w", err)
	}
	if len(out) == 0 && missing != nil {
		return nil, fmt.Errorf("postgres not on this machine? %w", missing)
	}
	return out, nil
}

// postgresCPUSince is the CPU those processes used after before was taken.
func postgresCPUSince(ctx context.Context, dsn string, names []string, before map[int]time.Duration) (time.Duration, error) {
	now, err := postgresCPU(ctx, dsn, names)
	if err != nil {
		return 0, err
	}
	var total time.Duration
	for pid, t := range now {
		total += t - before[pid]
	}
	return total, nil
}
