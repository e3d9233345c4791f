#!/usr/bin/env bash
# Rebuilds the compose stack's database cluster from the pgBackRest repository (docs/backups.md):
# after both nodes' disks are lost, or to undo a mistake by going back to a point in time.
#
#   scripts/restore.sh [options] --latest             # everything the archive holds
#   scripts/restore.sh [options] --to '2026-12-06 13:00:00+00'   # the state at that time
#   scripts/restore.sh [options] --before-xid 123456  # just before that transaction committed
#   scripts/restore.sh [options] --to-name before-migration      # a pg_create_restore_point()
# options:
#   -p, --project NAME   the compose project (as given to docker-compose -p; default: compose's own)
#   --env-file FILE      the env file given to docker-compose up (e.g. .lab/images.env; or export
#                        its variables: the image build needs the same POSTGRES_IMAGE)
#   --id-gap N           advance the products id sequence by N past what the restored database
#                        has handed out (default 1000000), so ids acknowledged after the restore
#                        point are never handed out again for other products
#   --yes                do not ask for confirmation
#
# What it does, in order (every step is a command a person could type):
#   0. builds the Patroni image of this checkout (the nodes are created again from it);
#   1. shows `pgbackrest info`;  2. stops the API instances and both database nodes;
#   3. removes the cluster from etcd (`patronictl remove products`);
#   4. wipes both nodes' data directories, leaves a restore request beside pg-1's;
#   5. starts pg-1: Patroni bootstraps it with the method pgbackrest_restore (pgBackRest copies the
#      backup, PostgreSQL replays the archive up to the target and promotes itself), waits until it leads;
#   6. advances the id sequence; takes a full backup (the new timeline's first, from which pg-2 is made);
#   7. starts pg-2 (created from that backup) and waits until it streams; restarts both HAProxies;
#   8. empties Redis and starts the API instances (their near copies start empty), so no product
#      the restored database does not hold is ever served.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
project=""
env_file=""
type=""
target=""
id_gap=1000000
confirmed=""
LEAD_WITHIN=${RESTORE_LEAD_WITHIN_SECONDS:-900}

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
log() { printf '[restore %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
        -p|--project) project=$2; shift 2 ;;
        --env-file) env_file=$2; shift 2 ;;
        --latest) type=latest; shift ;;
        --to) type=time; target=$2; shift 2 ;;
        --before-xid) type=xid; target=$2; shift 2 ;;
        --to-name) type=name; target=$2; shift 2 ;;
        --id-gap) id_gap=$2; shift 2 ;;
        --yes) confirmed=yes; shift ;;
        -h|--help) usage ;;
        *) echo "unknown option: $1" >&2; usage ;;
    esac
done
[ -n "$type" ] || usage
[[ "$id_gap" =~ ^[0-9]+$ ]] || { echo "--id-gap wants a whole number" >&2; exit 64; }

compose() {
    local args=(-f "$repo/docker-compose.yml")
    [ -n "$project" ] && args+=(-p "$project")
    [ -n "$env_file" ] && args+=(--env-file "$env_file")
    docker-compose "${args[@]}" "$@"
}
# A one-off container of a database service: its volumes, network and environment, not its entrypoint.
on_volume() { compose run --rm --no-deps -T "$@"; }
psql_leader() { compose exec -T pg-1 psql -X -U postgres -d products -v ON_ERROR_STOP=1 -tA "$@"; }

started=$SECONDS
# The nodes are about to be created again: from this checkout's image, not from whatever the tag
# products/patroni:local names now (another checkout on the same engine may have rebuilt it).
log "building the Patroni image of this checkout"
compose build -q pg-1
log "the repository now (pgbackrest info):"
on_volume --entrypoint pgbackrest pg-1 --stanza=products info

if [ -z "$confirmed" ]; then
    read -r -p "This replaces the whole database cluster with the restored one ($type${target:+ $target}). Type yes: " answer
    [ "$answer" = yes ] || { log "nothing done"; exit 1; }
fi

log "stopping the API instances and both database nodes"
compose stop -t 10 api-1 api-2 pg-1 pg-2
compose rm -f pg-1 pg-2

log "removing the cluster from etcd (a killed leader's key expires after the ttl: retrying up to 60 s)"
removed=""
for _ in $(seq 1 30); do
    if printf 'products\nYes I am aware\n' | on_volume --entrypoint patronictl pg-1 \
            -c /etc/patroni/patroni.yml remove products >/dev/null 2>&1; then
        removed=yes
        break
    fi
    sleep 2
done
[ -n "$removed" ] || { log "patronictl remove products failed for 60 s: is etcd up?"; exit 1; }

log "wiping both data directories; restore request beside pg-1's: $type${target:+ $target}"
on_volume --entrypoint sh -e "RESTORE_TYPE=$type" -e "RESTORE_TARGET=$target" pg-1 -c \
    'rm -rf /var/lib/postgresql/patroni/data &&
     printf "type=%s\ntarget=%s\n" "$RESTORE_TYPE" "$RESTORE_TARGET" > /var/lib/postgresql/patroni/restore-request'
on_volume --entrypoint sh pg-2 -c \
    'rm -rf /var/lib/postgresql/patroni/data /var/lib/postgresql/patroni/restore-request'

log "starting pg-1: Patroni restores it from the repository, then it leads"
compose up -d --no-deps pg-1
restore_started=$SECONDS
until compose exec -T pg-1 curl -fsS -m 2 -o /dev/null http://127.0.0.1:8008/primary 2>/dev/null; do
    if [ $((SECONDS - restore_started)) -gt "$LEAD_WITHIN" ]; then
        log "pg-1 does not lead after $LEAD_WITHIN s; its log:"
        compose logs --tail 40 pg-1 >&2
        exit 1
    fi
    sleep 1
done
log "pg-1 leads, restored in $((SECONDS - restore_started)) s"

log "advancing the id sequence by $id_gap"
psql_leader <<SQL
DO \$\$
DECLARE
    seq text := pg_get_serial_sequence('products', 'id');
    next bigint;
BEGIN
    IF seq IS NULL THEN
        RAISE NOTICE 'no products table at the restore point: nothing to advance';
        RETURN;
    END IF;
    EXECUTE format('SELECT greatest((SELECT coalesce(max(id), 0) FROM products), (SELECT last_value FROM %s)) + $id_gap', seq)
        INTO next;
    PERFORM setval(seq, next);
    RAISE NOTICE 'products ids go on from %', next + 1;
END
\$\$;
SQL

log "full backup of the restored cluster (pg-2 is made from it)"
for attempt in 1 2 3 4 5 6; do
    # The schedule on pg-1 may be taking a backup of its own: pgBackRest's lock refuses a second one.
    compose exec -T pg-1 pgbackrest --stanza=products --type=full --log-level-console=warn backup && break
    [ "$attempt" = 6 ] && { log "the full backup failed 6 times"; exit 1; }
    sleep 10
done

log "starting pg-2: a replica made from the backup"
compose up -d --no-deps pg-2
until [ "$(psql_leader -c "select count(*) from pg_stat_replication where state = 'streaming'" 2>/dev/null)" = 1 ]; do
    if [ $((SECONDS - restore_started)) -gt "$LEAD_WITHIN" ]; then
        log "pg-2 does not stream after $LEAD_WITHIN s; its log:"
        compose logs --tail 40 pg-2 >&2
        exit 1
    fi
    sleep 1
done

# Both nodes are new containers, perhaps each at the address the other had: an HAProxy that still
# holds the old addresses (it keeps a name that stopped resolving for an hour) would route writes
# to the wrong node. Restarted, they resolve both names afresh.
log "restarting both HAProxies (the nodes have new addresses)"
compose restart -t 5 haproxy-1 haproxy-2

log "emptying Redis and starting the API instances (their near copies start empty)"
# As Redis' admin user (docker/redis/start.sh): the API's own user may not FLUSHALL. The password
# stays in the container's environment, off the command line.
compose exec -T redis sh -c 'REDISCLI_AUTH="$REDIS_ADMIN_PASSWORD" redis-cli --user admin FLUSHALL' >/dev/null
compose start api-1 api-2

log "products now: $(psql_leader -c 'select count(*) from products' 2>/dev/null || echo '(no products table)')"
log "the repository now (pgbackrest info):"
compose exec -T pg-1 pgbackrest --stanza=products info
log "restore done in $((SECONDS - started)) s"
