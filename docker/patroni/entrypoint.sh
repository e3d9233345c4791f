#!/bin/sh
# Starts Patroni (under tini, as postgres). Node identity defaults to the container's host name;
# passwords must come from the environment: none is baked into the image.
set -eu

require() {
    eval "value=\${$1:-}"
    if [ -z "$value" ]; then
        echo "patroni-entrypoint: $1 must be set ($2)" >&2
        exit 64
    fi
}
require PATRONI_SUPERUSER_PASSWORD "password of the postgres superuser"
require PATRONI_REPLICATION_PASSWORD "password of the replication user"
require PATRONI_REWIND_PASSWORD "password of the pg_rewind user"
require DB_USER "the API's database role, owner of the database products"
require DB_PASSWORD "password of DB_USER"

: "${PATRONI_NAME:=$(hostname)}"
: "${PATRONI_RESTAPI_CONNECT_ADDRESS:=${PATRONI_NAME}:8008}"
: "${PATRONI_POSTGRESQL_CONNECT_ADDRESS:=${PATRONI_NAME}:5432}"
export PATRONI_NAME PATRONI_RESTAPI_CONNECT_ADDRESS PATRONI_POSTGRESQL_CONNECT_ADDRESS

# After `docker kill` the postmaster's socket lock survives in the container layer, and its pid
# may belong to another process at the next start ("lock file already exists"). Nothing runs yet
# when the container starts, so any lock here is stale. (A tmpfs on this directory does the same.)
rm -f /var/run/postgresql/.s.PGSQL.*.lock

exec patroni /etc/patroni/patroni.yml
