#!/bin/sh
# Scheduled backups, started by entrypoint.sh on every node when BACKUPS=on; only the node that
# leads takes them: before each backup it asks its own Patroni (GET /primary: 200 on the leader
# only), so after a failover the new leader takes the next one. Every BACKUP_CHECK_SECONDS it
# takes a full backup when the last full is older than BACKUP_FULL_SECONDS (daily by default), else
# an incremental when the last backup is older than BACKUP_INCR_SECONDS (5 minutes by default),
# and writes backup-status.sh's figures to /tmp/backup-status.prom.
set -u
check_every=${BACKUP_CHECK_SECONDS:-15}
full_every=${BACKUP_FULL_SECONDS:-86400}
incr_every=${BACKUP_INCR_SECONDS:-300}
status=/tmp/backup-status.prom

figure() { sed -n "s/^$1 //p" "$status.new"; }

while :; do
    sleep "$check_every"
    /etc/patroni/backup-status.sh > "$status.new" 2>/dev/null
    curl -fsS -m 2 -o /dev/null http://127.0.0.1:8008/primary 2>/dev/null || { mv "$status.new" "$status"; continue; }
    code=$(figure pgbackrest_status_code)
    if [ "$code" != 0 ] && [ "$code" != 2 ]; then
        # A stanza-create that failed at bootstrap (repository unreachable then), or a new repository.
        pgbackrest --stanza=products stanza-create >/dev/null 2>&1 || true
    fi
    full_age=$(figure pgbackrest_last_full_backup_age_seconds)
    last_age=$(figure pgbackrest_last_backup_age_seconds)
    mv "$status.new" "$status"
    type=""
    if [ "${full_age:--1}" -lt 0 ] || [ "$full_age" -ge "$full_every" ]; then
        type=full
    elif [ "${last_age:--1}" -lt 0 ] || [ "$last_age" -ge "$incr_every" ]; then
        type=incr
    fi
    [ -z "$type" ] && continue
    echo "backup-schedule: this node leads: $type backup" >&2
    if pgbackrest --stanza=products --type="$type" backup >/dev/null 2>/tmp/backup-schedule.err; then
        echo "backup-schedule: $type backup done" >&2
    else
        echo "backup-schedule: $type backup failed: $(tail -n 3 /tmp/backup-schedule.err)" >&2
    fi
done
