#!/bin/sh
# Patroni's post_bootstrap hook, run once on the node that initialises the cluster, with a
# superuser connection string as its last argument. Creates the API's role (not a superuser) and
# the database it owns; the name and password come from DB_USER / DB_PASSWORD.
set -eu
connstring="$1"
echo "post-bootstrap: creating role ${DB_USER} and database products"
psql -X -v ON_ERROR_STOP=1 -v api_user="$DB_USER" -v api_password="$DB_PASSWORD" "$connstring" <<'SQL'
CREATE ROLE :"api_user" LOGIN PASSWORD :'api_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE products OWNER :"api_user";
REVOKE ALL ON DATABASE products FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE products TO :"api_user";
SQL
echo "post-bootstrap: done"
