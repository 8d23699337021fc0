#!/bin/sh
# The application role of congvu (inspect/db_roles.py), created when the `db` container
# initialises an empty data directory. POSTGRES_USER (`congvu`) owns the database and
# runs the migrations; `congvu_app`, which web and worker connect as, owns nothing, so it
# cannot switch the audit trail's append-only trigger off. `congvu migrate` grants it
# the rest (its tables' rows, the sequences, the audit trail's appends and seals).
#
# On a database initialised before this script existed, run it once by hand:
#   docker compose exec db sh /docker-entrypoint-initdb.d/10-congvu-app-role.sh
# then set CONGVU_DATABASE_URL / CONGVU_MIGRATE_DATABASE_URL as .env.example shows and
# run `docker compose up -d` (migrate grants before web and worker start).
set -eu
: "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD for the db service}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$POSTGRES_APP_PASSWORD" -v database="$POSTGRES_DB" <<'SQL'
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'congvu_app') AS missing \gset
\if :missing
CREATE ROLE congvu_app;
\endif
ALTER ROLE congvu_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO congvu_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
