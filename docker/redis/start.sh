#!/bin/sh
# Starts Redis with no anonymous access (docs/security.md, "Redis"). Two users, passwords from the
# environment, written on redis-server's standard input so they appear in no process list:
#   api    what the API needs and nothing else: its commands on product:* keys (SCAN + UNLINK
#          drop them all when pending invalidations overflow) and the invalidation channel
#          (no FLUSHALL, CONFIG, KEYS, PUBLISH, DEBUG, MONITOR...);
#   admin  everything, for people and scripts (scripts/restore.sh's FLUSHALL, redis-cli by hand).
# The default user is off and has no password left, so protected mode stays on as a second lock.
# Mounted read-only into the official image and the stand-in alike (docker-compose.yml; the lab's
# RedisServer copies it in); run as the image's redis user.
set -eu
: "${REDIS_PASSWORD:?REDIS_PASSWORD must be set: the password of the API's Redis user}"
: "${REDIS_ADMIN_PASSWORD:?REDIS_ADMIN_PASSWORD must be set: the password of Redis' admin user}"
for password in "$REDIS_PASSWORD" "$REDIS_ADMIN_PASSWORD"; do
    case "$password" in
        *[[:space:]\"\'\\]*) echo "redis-start: passwords may not hold spaces, quotes or backslashes" >&2; exit 64 ;;
    esac
done
exec redis-server - <<CONF
port 6379
bind * -::*
protected-mode yes
save ""
appendonly no
user default off resetpass nocommands resetkeys resetchannels
user admin on >$REDIS_ADMIN_PASSWORD ~* &* +@all
user api on >$REDIS_PASSWORD resetkeys ~product:* resetchannels &__redis__:invalidate -@all +get +set +del +unlink +scan +eval +evalsha +ping +subscribe +client|id +client|tracking +client|setinfo +hello +auth
CONF
