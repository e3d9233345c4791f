#!/bin/sh
# A watchdog for this node, standing in for the hardware watchdog Patroni uses where it has one
# (a container has no /dev/watchdog). A Patroni that hangs (stopped, deadlocked, starved) no longer
# renews the leader key, so another node may be promoted ttl (20 s) after its last renewal while
# this PostgreSQL still runs as a primary. When Patroni has not answered /liveness for
# PATRONI_FENCE_AFTER_SECONDS (10, half the ttl) and PostgreSQL is a primary, this script fences
# it: it kills Patroni (the entrypoint starts a fresh one, which adopts or restarts PostgreSQL as
# the cluster decides) and stops PostgreSQL at once. Two primaries then never run side by side.
set -u
fence_after=${PATRONI_FENCE_AFTER_SECONDS:-10}
data_dir=/var/lib/postgresql/patroni/data
last_seen=$(date +%s)
while :; do
    sleep 1
    if curl -fsS -m 1 -o /dev/null http://127.0.0.1:8008/liveness; then
        last_seen=$(date +%s)
        continue
    fi
    [ $(( $(date +%s) - last_seen )) -lt "$fence_after" ] && continue
    primary=$(PGCONNECT_TIMEOUT=2 timeout 3 psql -h /var/run/postgresql -U postgres -d postgres -tAXc \
        'select not pg_is_in_recovery()' 2>/dev/null || true)
    if [ "$primary" = t ]; then
        echo "patroni-watchdog: Patroni silent for ${fence_after} s while PostgreSQL is a primary: fencing it" >&2
        [ -f /tmp/patroni.pid ] && kill -KILL "$(cat /tmp/patroni.pid)" 2>/dev/null
        pg_ctl stop -D "$data_dir" -m immediate -w -t 5 >&2 || true
    fi
    last_seen=$(date +%s)
done
