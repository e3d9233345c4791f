#!/usr/bin/env bash
# Creates the Swarm secrets docker-stack.yml names, each a fresh random value, on a manager node.
# Nothing is written to disk; the one value a person needs afterwards, the API key for writes,
# is printed once (only its SHA-256 is stored: docs/security.md). Secrets that exist are kept
# (a secret cannot be changed in place: remove the stack and the secret first to replace one).
#   bash scripts/stack-secrets.sh [client-name]
set -euo pipefail
client=${1:-ops}

random() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
exists() { docker secret inspect "$1" >/dev/null 2>&1; }
create() {
    if exists "$1"; then
        echo "[stack-secrets] $1 exists, kept" >&2
    else
        printf '%s' "$2" | docker secret create "$1" - >/dev/null
        echo "[stack-secrets] $1 created" >&2
    fi
}

for name in patroni_restapi_password postgres_superuser_password postgres_replication_password \
        postgres_rewind_password db_password redis_admin_password; do
    create "$name" "$(random)"
done
# The API logs in to Redis as user api with the password redis' start.sh gives that user.
if ! exists redis_password; then
    redis=$(random)
    create redis_password "$redis"
    if exists api_redis_url; then docker secret rm api_redis_url >/dev/null; fi
    create api_redis_url "redis://api:$redis@redis:6379"
fi
if ! exists api_keys; then
    key=$(random)
    create api_keys "$client:$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)"
    echo "API key of client $client (shown once, send it as 'Authorization: Bearer <key>'): $key"
fi
