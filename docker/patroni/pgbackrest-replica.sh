#!/bin/sh
# Replica creation method `pgbackrest` (backups.yml): the latest backup from the repository into
# this node's data directory; PostgreSQL then replays the archive and streams from the leader.
# pgBackRest wants the directory to exist (Patroni removes a botched one). It fails fast when the
# repository holds no backup yet, and Patroni falls back to replica_init (pg_basebackup).
set -eu
data_dir=/var/lib/postgresql/patroni/data
mkdir -p "$data_dir"
chmod 0700 "$data_dir"
exec pgbackrest --stanza=products restore
