#!/bin/sh
# Replica creation method for Patroni (postgresql.create_replica_methods: replica_init).
# Patroni calls it with the node's empty data directory and a replication connection string:
#   replica-init.sh --scope=products --role=replica --datadir=/path \
#                   --connstring="dbname=postgres user=replicator host=pg-1 port=5432"
# (plus any option of the method's config, e.g. --no_params=False; unknown options are ignored).
# The password comes from PGPASSFILE, which Patroni sets. The base backup goes into exactly the
# directory Patroni will start, so the node always comes up as a hot standby, never as a
# stand-alone primary. Exit status non-zero on any failure: Patroni then retries.
set -eu

log() { echo "replica-init: $*" >&2; }

datadir=""
connstring=""
scope=""
for arg in "$@"; do
    case "$arg" in
        --datadir=*) datadir="${arg#--datadir=}" ;;
        --connstring=*) connstring="${arg#--connstring=}" ;;
        --scope=*) scope="${arg#--scope=}" ;;
        --role=*) ;;
        *) log "ignoring option $arg" ;;
    esac
done

if [ -z "$datadir" ] || [ -z "$connstring" ]; then
    log "needs --datadir and --connstring (got: $*)"
    exit 2
fi

# Patroni empties the directory first; a leftover file would make pg_basebackup refuse.
if [ -d "$datadir" ] && [ -n "$(ls -A "$datadir" 2>/dev/null)" ]; then
    log "data directory $datadir is not empty"
    exit 3
fi

log "cluster ${scope:-?}: base backup from '$connstring' into $datadir"
started=$(date +%s)
if ! pg_basebackup --pgdata="$datadir" --dbname="$connstring" \
        --wal-method=stream --checkpoint=fast --no-password; then
    log "pg_basebackup failed; removing the partial copy"
    rm -rf "$datadir"
    exit 1
fi
chmod 0700 "$datadir"
log "base backup done in $(( $(date +%s) - started )) s; Patroni starts it as a streaming replica"
