#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: the role the api and worker connect
# as. It owns nothing; `strata migrate` (the compose `migrate` service, connected as the owner)
# grants it what it needs on every run.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$STRATA_APP_PASSWORD" <<'SQL'
CREATE ROLE strata_app LOGIN PASSWORD :'password';
SQL
