#!/usr/bin/env bash
# Makes `mvn verify` and `docker-compose up` work on a machine with no container registry and no
# running Docker engine (this project's CI). Idempotent: it installs, starts and builds only what
# is missing, so a second run takes seconds.
#
#   1. installs docker.io, mmdebstrap and docker-compose from Debian if they are missing;
#   2. starts dockerd if no engine answers (pid file and log under $LAB_STATE_DIR);
#   3. builds a Debian base image once with mmdebstrap (nothing can be pulled);
#   4. builds stand-in images from Debian packages for every official image the project uses;
#   5. writes $LAB_STATE_DIR/images.env naming them, for the tests (LabImages) and compose.
#
# Users with a registry do not need any of this: the official images are the defaults.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
state=${LAB_STATE_DIR:-$repo/.lab}
mkdir -p "$state"
log() { printf '[offline-images] %s\n' "$*" >&2; }

# Pinned versions. Toxiproxy matches the official image the tests name (ghcr.io/shopify/toxiproxy).
# Debian trixie carries the majors the official images run: PostgreSQL 17, Patroni 4.0, HAProxy 3.0,
# etcd 3.5, Redis 8, OpenJDK 21. Every tag names the suite, so images of another suite on the same
# engine (an older checkout) neither shadow these nor get overwritten.
TOXIPROXY_VERSION=v2.12.0
SUITE=trixie
BASE=standin/debian:$SUITE
TOXIPROXY_TAG=standin/toxiproxy:${TOXIPROXY_VERSION#v}-$SUITE

require_root() {
  if [ "$(id -u)" != 0 ]; then
    log "must run as root to install packages and start dockerd (or install docker yourself)"
    exit 1
  fi
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  [ ${#missing[@]} -eq 0 ] && return
  require_root
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
}

start_engine() {
  if docker version >/dev/null 2>&1; then
    log "a Docker engine answers"
    return
  fi
  require_root
  log "starting dockerd (log: $state/dockerd.log, pid file: $state/dockerd.pid)"
  # setsid: the engine must outlive this script and not receive the caller's signals.
  setsid dockerd --pidfile "$state/dockerd.pid" >"$state/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker version >/dev/null 2>&1 && { log "dockerd answers"; return; }
    sleep 0.5
  done
  log "dockerd did not answer within 30 s; see $state/dockerd.log"
  tail -20 "$state/dockerd.log" >&2 || true
  exit 1
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

build_base() {
  have_image "$BASE" && return
  log "building base image $BASE with mmdebstrap"
  local rootfs
  rootfs=$(mktemp -d)
  local mirror=http://deb.debian.org/debian
  mmdebstrap --quiet --variant=minbase "$SUITE" "$rootfs" \
    "deb $mirror $SUITE main" \
    "deb $mirror $SUITE-updates main" \
    "deb http://deb.debian.org/debian-security $SUITE-security main"
  tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
  rm -rf "$rootfs"
}

# build_standin TAG DOCKERFILE_DIR [extra docker build args...]
build_standin() {
  local tag=$1 dir=$2
  shift 2
  have_image "$tag" && return
  log "building $tag"
  local buildlog=$state/build-${tag//[\/:]/_}.log
  # The classic builder is all Debian's docker.io has; its deprecation notice goes to the log.
  if ! docker build --build-arg "BASE_IMAGE=$BASE" -t "$tag" "$@" "$dir" >"$buildlog" 2>&1; then
    log "building $tag failed; last lines of $buildlog:"
    tail -20 "$buildlog" >&2
    exit 1
  fi
}

build_toxiproxy() {
  local tag=$TOXIPROXY_TAG
  have_image "$tag" && return
  local ctx=$state/toxiproxy-build
  mkdir -p "$ctx"
  if [ ! -x "$ctx/toxiproxy" ]; then
    command -v go >/dev/null || { log "Go is needed to build the Toxiproxy server (apt-get install golang-go)"; exit 1; }
    log "building the Toxiproxy server $TOXIPROXY_VERSION from the Go module proxy"
    # The version stamp is what the official build sets, so /version answers the same.
    if ! CGO_ENABLED=0 GOBIN="$ctx/bin" go install \
        -ldflags "-s -w -X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION#v}" \
        "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"; then
      log "go install of github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION failed: no Toxiproxy, no fault-injection tests"
      exit 1
    fi
    mv "$ctx/bin/server" "$ctx/toxiproxy"
  fi
  cp "$repo/docker/standin/toxiproxy/Dockerfile" "$ctx/Dockerfile"
  build_standin "$tag" "$ctx"
}

write_env() {
  cat >"$state/images.env" <<EOF
# Written by scripts/offline-images.sh: stand-ins for the official images (no registry here).
POSTGRES_IMAGE=standin/postgres:$SUITE
REDIS_IMAGE=standin/redis:$SUITE
HAPROXY_IMAGE=standin/haproxy:$SUITE
ETCD_IMAGE=standin/etcd:$SUITE
TOXIPROXY_IMAGE=$TOXIPROXY_TAG
JRE_IMAGE=standin/jre:$SUITE
# A host of the multi-host lab (Docker-in-Docker), for the several-hosts chapter.
SWARM_NODE_IMAGE=standin/swarm-node:$SUITE
# Testcontainers on this engine: Ryuk's image cannot be pulled, and /.dockerenv makes it look for
# a gateway it cannot find (then tries to pull alpine and hangs for ~10 minutes).
TESTCONTAINERS_RYUK_DISABLED=true
TESTCONTAINERS_HOST_OVERRIDE=localhost
EOF
  log "wrote $state/images.env"
}

main() {
  local started=$SECONDS
  install_packages
  start_engine
  build_base
  local d=$repo/docker/standin
  build_standin "standin/postgres:$SUITE" "$d/postgres"
  build_standin "standin/redis:$SUITE" "$d/redis"
  build_standin "standin/haproxy:$SUITE" "$d/haproxy"
  build_standin "standin/etcd:$SUITE" "$d/etcd"
  build_standin "standin/jre:$SUITE" "$d/jre"
  build_standin "standin/swarm-node:$SUITE" "$d/swarm-node"
  build_toxiproxy
  write_env
  log "images ready in $((SECONDS - started)) s"
}

main "$@"
