#!/bin/sh
# Starts Patroni (under tini, as postgres). Node identity defaults to the container's host name;
# passwords must come from the environment: none is baked into the image. BACKUPS=on (set by
# docker-compose.yml) adds WAL archiving to the pgBackRest repository and scheduled backups
# (docs/backups.md); /etc/patroni/patroni.yml is written by patroni-config.py.
set -eu

require() {
    eval "value=\${$1:-}"
    if [ -z "$value" ]; then
        echo "patroni-entrypoint: $1 must be set ($2)" >&2
        exit 64
    fi
}
require PATRONI_RESTAPI_USERNAME "login Patroni's REST API asks for on unsafe methods"
require PATRONI_RESTAPI_PASSWORD "password of PATRONI_RESTAPI_USERNAME"
require PATRONI_SUPERUSER_PASSWORD "password of the postgres superuser"
require PATRONI_REPLICATION_PASSWORD "password of the replication user"
require PATRONI_REWIND_PASSWORD "password of the pg_rewind user"
require DB_USER "the API's database role, owner of the database products"
require DB_PASSWORD "password of DB_USER"

: "${PATRONI_NAME:=$(hostname)}"
# The nodes reach each other under PEER_ALIAS (docker-compose.yml: pg-N-peer on the network only
# the database tier is on), else under the node's name.
: "${PATRONI_RESTAPI_CONNECT_ADDRESS:=${PEER_ALIAS:-$PATRONI_NAME}:8008}"
: "${PATRONI_POSTGRESQL_CONNECT_ADDRESS:=${PEER_ALIAS:-$PATRONI_NAME}:5432}"
export PATRONI_NAME PATRONI_RESTAPI_CONNECT_ADDRESS PATRONI_POSTGRESQL_CONNECT_ADDRESS

# After `docker kill` the postmaster's socket lock survives in the container layer, and its pid
# may belong to another process at the next start ("lock file already exists"). Nothing runs yet
# when the container starts, so any lock here is stale. (A tmpfs on this directory does the same.)
rm -f /var/run/postgresql/.s.PGSQL.*.lock

# Patroni runs as a child that is started again whenever it dies (kill -9, a crash): the postmaster
# it started keeps running under tini meanwhile, and the new Patroni adopts it, so a crashed Patroni
# costs a few seconds of management, not a failover. A Patroni that hangs instead is fenced by
# watchdog.sh. `docker stop` (SIGTERM) is passed to Patroni, which stops PostgreSQL cleanly and
# hands the leader key over; then this script exits.
stopping=""
patroni_pid=""
/etc/patroni/watchdog.sh &
watchdog_pid=$!
schedule_pid=""
if [ "${BACKUPS:-off}" = on ]; then
    /etc/patroni/backup-schedule.sh &
    schedule_pid=$!
fi
stop() {
    stopping=yes
    kill -TERM "$watchdog_pid" 2>/dev/null
    [ -n "$schedule_pid" ] && kill -TERM "$schedule_pid" 2>/dev/null
    [ -n "$patroni_pid" ] && kill -TERM "$patroni_pid" 2>/dev/null
}
trap stop TERM INT
while :; do
    # Written again before each start: a restore request is honoured only while the data directory is empty.
    python3 /usr/local/share/patroni/patroni-config.py > /etc/patroni/patroni.yml.new
    mv /etc/patroni/patroni.yml.new /etc/patroni/patroni.yml
    patroni /etc/patroni/patroni.yml &
    patroni_pid=$!
    echo "$patroni_pid" > /tmp/patroni.pid
    # wait returns early when a signal arrives; wait again until Patroni itself has ended.
    status=0
    wait "$patroni_pid" || status=$?
    while kill -0 "$patroni_pid" 2>/dev/null; do
        status=0
        wait "$patroni_pid" || status=$?
    done
    [ -n "$stopping" ] && exit "$status"
    echo "patroni-entrypoint: Patroni exited with status $status; starting it again in 1 s" >&2
    sleep 1
done
