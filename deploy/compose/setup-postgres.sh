#!/bin/sh
# Prepares the PostgreSQL databases of the stack; safe to run on every `docker compose up`.
#   temporal, temporal_visibility  Temporal's persistence and visibility stores: created, schema
#                                  set up and updated to the server's version by its own tool
#   assessbridge                   the accounts store: created here, migrated by worker/starter
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}" "${STORE_DB:?}"
port="${DB_PORT:-5432}"
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"; }

echo "waiting for postgresql at $POSTGRES_SEEDS:$port"
until nc -z -w 5 "$POSTGRES_SEEDS" "$port"; do sleep 2; done

# `create` fails when the database exists (a later `up` on the same volume); setup-schema and
# update-schema below then fail loudly if it is really unusable.
for db in temporal temporal_visibility "$STORE_DB"; do
  sql --db "$db" create || echo "database $db exists"
done

sql --db temporal setup-schema -v 0.0
sql --db temporal update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned
sql --db temporal_visibility setup-schema -v 0.0
sql --db temporal_visibility update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned
echo "postgresql ready"
