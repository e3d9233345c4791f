#!/bin/sh
# Patroni's post_bootstrap hook, run once on the node that initialises the cluster, with a
# superuser connection string as its last argument. Creates the API's role (not a superuser) and
# the database it owns; the name and password come from DB_USER / DB_PASSWORD. A cluster restored
# from a backup (scripts/restore.sh) already has both: nothing is created again.
# With BACKUPS=on it also creates the pgBackRest stanza (a no-op when the repository already holds
# it), so the leader's archive_command succeeds from now on; backup-schedule.sh takes the first
# full backup within seconds.
set -eu
connstring="$1"
exists=$(psql -X -tA "$connstring" -c "select count(*) from pg_database where datname = 'products'")
if [ "$exists" = 0 ]; then
    echo "post-bootstrap: creating role ${DB_USER} and database products"
    psql -X -v ON_ERROR_STOP=1 -v api_user="$DB_USER" -v api_password="$DB_PASSWORD" "$connstring" <<'SQL'
CREATE ROLE :"api_user" LOGIN PASSWORD :'api_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE products OWNER :"api_user";
REVOKE ALL ON DATABASE products FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE products TO :"api_user";
SQL
else
    echo "post-bootstrap: database products exists (a restored cluster): nothing to create"
fi
if [ "${BACKUPS:-off}" = on ]; then
    pgbackrest --stanza=products stanza-create \
        || echo "post-bootstrap: stanza-create failed; backup-schedule.sh tries again" >&2
    rm -f /var/lib/postgresql/patroni/restore-request
fi
echo "post-bootstrap: done"
