#!/bin/sh
# The figures a monitoring system needs about backups, in Prometheus' text format, from this node:
#   docker-compose exec pg-1 /etc/patroni/backup-status.sh
# backup-schedule.sh also writes them to /tmp/backup-status.prom every tick (a node_exporter
# textfile collector, or any scraper with a shell, can read that file). Alert when
# pgbackrest_last_backup_age_seconds passes the schedule by far, when the leader's
# pg_archiver_failing is 1, or when pg_archiver_last_archived_age_seconds passes archive_timeout
# by far while writes go on.
set -u
info=$(pgbackrest --stanza=products --output=json info 2>/dev/null || echo '[]')
archiver=$(psql -h /var/run/postgresql -U postgres -d postgres -tAX -F ' ' -c "
    select (not pg_is_in_recovery())::int, archived_count, failed_count,
           coalesce(extract(epoch from now() - last_archived_time)::bigint, -1),
           (coalesce(last_failed_time, '-infinity') > coalesce(last_archived_time, '-infinity'))::int
    from pg_stat_archiver" 2>/dev/null || echo "")
INFO="$info" ARCHIVER="$archiver" python3 - <<'PY'
import json, os, time
now = time.time()
print("# pgBackRest repository and WAL archiver of this node (backup-status.sh)")
try:
    stanzas = json.loads(os.environ["INFO"])
except ValueError:
    stanzas = []
backups = stanzas[0].get("backup", []) if stanzas else []
# pgBackRest's own code: 0 ok, 1 missing stanza path, 2 no valid backup, 3 missing stanza data
# (-1: the repository could not be read).
code = stanzas[0].get("status", {}).get("code", -1) if stanzas else -1
print(f"pgbackrest_status_code {code}")
print(f"pgbackrest_backups {len(backups)}")
def age(kinds):
    stops = [b["timestamp"]["stop"] for b in backups if b["type"] in kinds]
    return int(now - max(stops)) if stops else -1
print(f"pgbackrest_last_backup_age_seconds {age(('full', 'diff', 'incr'))}")
print(f"pgbackrest_last_full_backup_age_seconds {age(('full',))}")
fields = os.environ["ARCHIVER"].split()
if len(fields) == 5:
    leader, archived, failed, last_age, failing = fields
    print(f"pg_is_leader {leader}")
    print(f"pg_archiver_archived_count {archived}")
    print(f"pg_archiver_failed_count {failed}")
    print(f"pg_archiver_last_archived_age_seconds {last_age}")
    print(f"pg_archiver_failing {failing}")
PY
