#!/usr/bin/env bash
# The benchmark of the system as users deploy it: docker-compose.yml (two API instances behind the
# HAProxy front on :3000, Patroni, two HAProxies, Redis), measured with bench/run.sh's wrk scripts
# and table, next to what its parts do alone, in the same run.
#
#   bench/stack.sh          (from the repository root, after scripts/offline-images.sh where no
#                            registry answers: .lab/images.env then names the stand-in images)
#
# 1. Brings the stack up under a compose project of its own (products-bench-<random>), every
#    published port free and on loopback; takes exactly that project down at the end (down -v),
#    also on failure or Ctrl-C.
# 2. Seeds 1,000 products through the API (the hit path reads them) and BENCH_MISS_PRODUCTS more
#    with one INSERT on the leader (the miss rows read each at most once; a million POSTs through
#    the API would take longer than the whole benchmark).
# 3. Through the published port (docker-proxy in userland carries loopback traffic to the front,
#    unless the engine runs with "userland-proxy": false: then the kernel's NAT does; the header says which):
#    hit, miss, list and writes at 32 connections. Then the same hit and writes sent to the front
#    container's own address (routable from the host on Linux): no docker-proxy hop.
# 4. pgbench on the leader, inside its container, running the API's own INSERT ... RETURNING (the
#    statement of ProductRepository) at 32 clients: what the database tier as deployed can commit.
# 5. Takes the stack down, then bench/run.sh's single-process hit path (BENCH_PATHS=hit) on the
#    same machine, and prints the ratios: stack hit / single-process hit, API writes / pgbench.
#
# Settings (environment): BENCH_SECONDS (10 per row), BENCH_WARMUP_SECONDS (5 per path),
# BENCH_MISS_PRODUCTS (300000), BENCH_FRONT_CFG (another front configuration to measure, mounted over
# front.cfg, e.g. `git show HEAD~5:front.cfg > /tmp/old.cfg`), BENCH_IMAGES_ENV (.lab/images.env; the official images when absent),
# BENCH_API_ENV (extra settings for both API instances, e.g. "DB_WRITE_CONCURRENCY=16 HTTP_THREADS=32",
# through a compose override file: docker-compose.yml is not changed), BENCH_WRITE_SWEEP (e.g. "16 32":
# the writes row again with each DB_WRITE_CONCURRENCY, only the API containers recreated), BENCH_STACK_PATHS
# (default "hit miss list write direct pgbench single"), BENCH_PORT_BASE (for run.sh's row).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
SECONDS_PER_ROW="${BENCH_SECONDS:-10}"
WARMUP="${BENCH_WARMUP_SECONDS:-5}"
MISS_PRODUCTS="${BENCH_MISS_PRODUCTS:-300000}"
IMAGES_ENV="${BENCH_IMAGES_ENV:-$REPO/.lab/images.env}"
HOT_PRODUCTS=1000
CONNECTIONS=32
PATHS=" ${BENCH_STACK_PATHS:-hit miss list write direct pgbench single} "
wants() { [[ "$PATHS" == *" $1 "* ]]; }
export BENCH_DIR

log() { printf '%s stack-bench: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
for tool in docker docker-compose wrk curl; do
  command -v "$tool" >/dev/null || die "missing: $tool (wrk: apt-get install wrk, or run bench/run.sh once as root)"
done
docker version >/dev/null 2>&1 || die "no Docker engine answers (scripts/offline-images.sh starts one)"
if [ ! -f "$REPO/target/products-api.jar" ] || [ -n "$(find "$REPO/src/main" "$REPO/pom.xml" -newer "$REPO/target/products-api.jar" -print -quit)" ]; then
  log "building target/products-api.jar (the API image copies it)"
  (cd "$REPO" && mvn -B -q -DskipTests package)
fi

# A free port on loopback, never one handed out before in this run.
TAKEN=" "
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    [[ "$TAKEN" == *" $port "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    TAKEN+="$port "
    echo "$port"
    return
  done
}
API_PORT="$(free_port)" FRONT_STATS_PORT="$(free_port)"
# docker-compose.yml publishes the front on every interface unless told an address: loopback here.
export API_HOST_PORT="127.0.0.1:$API_PORT" FRONT_STATS_HOST_PORT="$FRONT_STATS_PORT"
export HAPROXY_WRITE_HOST_PORT="$(free_port)" HAPROXY_READ_HOST_PORT="$(free_port)" HAPROXY_STATS_HOST_PORT="$(free_port)"
export HAPROXY2_WRITE_HOST_PORT="$(free_port)" HAPROXY2_READ_HOST_PORT="$(free_port)" HAPROXY2_STATS_HOST_PORT="$(free_port)"
API="http://127.0.0.1:$API_PORT"

PROJECT="products-bench-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
WORK="$(mktemp -d /tmp/products-stack-bench.XXXXXX)"
COMPOSE_FILES=(-f "$REPO/docker-compose.yml")
if [ -n "${BENCH_API_ENV:-}" ]; then
  {
    echo 'version: "2.4"'
    echo 'services:'
    for service in api-1 api-2; do
      echo "  $service:"
      echo '    environment:'
      for setting in $BENCH_API_ENV; do echo "      ${setting%%=*}: \"${setting#*=}\""; done
    done
  } >"$WORK/api-settings.yml"
  COMPOSE_FILES+=(-f "$WORK/api-settings.yml")
fi
if [ -n "${BENCH_FRONT_CFG:-}" ]; then
  # Another front configuration (e.g. an older front.cfg, to compare): mounted over the repository's.
  printf 'version: "2.4"\nservices:\n  front:\n    volumes:\n      - %s:/usr/local/etc/haproxy/haproxy.cfg:ro\n' \
    "$(realpath "$BENCH_FRONT_CFG")" >"$WORK/front-cfg.yml"
  COMPOSE_FILES+=(-f "$WORK/front-cfg.yml")
fi
ENV_FILE=()
[ -f "$IMAGES_ENV" ] && ENV_FILE=(--env-file "$IMAGES_ENV")
compose() { docker-compose -p "$PROJECT" "${ENV_FILE[@]}" "${COMPOSE_FILES[@]}" "$@"; }

STARTED=0
teardown() {
  set +e
  if [ "$STARTED" = 1 ]; then
    log "taking down compose project $PROJECT"
    compose logs --no-color >"$WORK/compose.log" 2>&1
    compose down -v --remove-orphans --timeout 5 >>"$WORK/compose-down.log" 2>&1
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap teardown EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the stack
log "compose project $PROJECT: up (front on $API, images from ${ENV_FILE[1]:-the official registries}${BENCH_API_ENV:+, API settings: $BENCH_API_ENV})"
STARTED=1
compose up -d --build >"$WORK/compose-up.log" 2>&1 || { cat "$WORK/compose-up.log" >&2; die "compose up failed"; }

front_counts_up() { # both instances UP in every backend of the front's statistics that names them (CSV: field 18 is the status)
  curl -s "http://127.0.0.1:$FRONT_STATS_PORT/;csv" | awk -F, '
    ($2 == "api-1" || $2 == "api-2") { named++; if ($18 == "UP") up++ }
    END { exit !(named >= 2 && up == named) }'
}
for _ in $(seq 300); do
  curl -fs -o /dev/null "$API/health" && front_counts_up && break
  sleep 1
done
curl -fs -o /dev/null "$API/health" && front_counts_up || die "the stack is not healthy after 300 s (see compose logs: BENCH_KEEP=1)"

LEADER=""
for node in pg-1 pg-2; do
  [ "$(compose exec -T "$node" psql -U postgres -tAXc "SELECT pg_is_in_recovery()" 2>/dev/null | tr -d '[:space:]')" = f ] && LEADER="$node"
done
[ -n "$LEADER" ] || die "no Patroni leader found"
LEADER_CONTAINER="$(compose ps -q "$LEADER")"
leader_sql() { docker exec "$LEADER_CONTAINER" psql -U postgres -d products -v ON_ERROR_STOP=1 -tAXq -c "$1"; }
FRONT_ADDRESS="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$(compose ps -q front)" | awk '{ print $1 }')"
log "leader $LEADER; the front's own address $FRONT_ADDRESS"

log "seeding $HOT_PRODUCTS products through the API, $MISS_PRODUCTS on the leader"
seq "$HOT_PRODUCTS" | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
  -H "Authorization: Bearer ${BENCH_API_KEY:-products-dev-key-not-secret}" \
  -d '{"name":"hot product {}","price":9.99,"stock":1}' "$API/products" >"$WORK/seed-status.txt"
SEEDED_OK="$(grep -c '^201$' "$WORK/seed-status.txt" || true)"
[ "$SEEDED_OK" = "$HOT_PRODUCTS" ] || die "seeding through the API: $SEEDED_OK of $HOT_PRODUCTS answered 201"
HOT_FIRST="$(leader_sql "SELECT min(id) FROM products")"
leader_sql "INSERT INTO products (name, price, stock)
  SELECT 'seeded product ' || i, (i % 10000) / 100.0, i % 500 FROM generate_series(1, $MISS_PRODUCTS) i"
leader_sql "VACUUM ANALYZE products" && leader_sql "CHECKPOINT"
NEXT_UNREAD="$(leader_sql "SELECT max(id) FROM products") "
NEXT_UNREAD=$((NEXT_UNREAD - MISS_PRODUCTS + 1))

# ---------------------------------------------------------------- measuring
ROWS=()
CLOCK_TICKS="$(getconf CLK_TCK)"
# Container ids by service, looked up once (again after containers are recreated).
declare -A CONTAINER_IDS
resolve_containers() {
  local service
  for service in $(compose config --services); do
    CONTAINER_IDS[$service]="$(docker inspect -f '{{.Id}}' "$(compose ps -q "$service")")"
  done
}
# CPU (user + system, ns) of a compose service's container so far, from its cgroup (v2 or v1).
container_cpu_ns() {
  local id="${CONTAINER_IDS[$1]}" usec
  for dir in "/sys/fs/cgroup/system.slice/docker-$id.scope" "/sys/fs/cgroup/docker/$id"; do
    if [ -f "$dir/cpu.stat" ]; then
      usec="$(awk '$1 == "usage_usec" { print $2 }' "$dir/cpu.stat")"
      echo $((usec * 1000)); return
    fi
  done
  for file in "/sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage" "/sys/fs/cgroup/cpu,cpuacct/docker/$id/cpuacct.usage"; do
    [ -f "$file" ] && { cat "$file"; return; }
  done
  echo -1
}
# "service=ns ..." for every service: where a row's CPU went, container by container.
all_cpu_ns() { local service; for service in $(printf '%s\n' "${!CONTAINER_IDS[@]}" | sort); do printf '%s=%s ' "$service" "$(container_cpu_ns "$service")"; done; }
api_cpu_ns() { local a b; a="$(container_cpu_ns api-1)" b="$(container_cpu_ns api-2)"; [ "$a" -ge 0 ] && [ "$b" -ge 0 ] && echo $((a + b)) || echo -1; }
# docker-proxy of the published port: the userland hop between a loopback client and the front.
PROXY_PID="$(pgrep -f "docker-proxy .*-host-port $API_PORT " | head -1 || true)"
proxy_cpu_ticks() { [ -n "$PROXY_PID" ] && awk '{ print $14 + $15 }' "/proc/$PROXY_PID/stat" 2>/dev/null || echo 0; }
FIGURES=()
SWEEP_FIGURES=()

# wrk_row LABEL URL SCRIPT ARGS... : wrk at $CONNECTIONS, one table row; CPU of both API containers,
# of the front and of docker-proxy per request go to the row and to FIGURES.
wrk_row() {
  local label="$1" url="$2" script="$3"; shift 3
  local out api0 api1 front0 front1 proxy0 proxy1 all0 all1
  api0="$(api_cpu_ns)" front0="$(container_cpu_ns front)" proxy0="$(proxy_cpu_ticks)" all0="$(all_cpu_ns)"
  out="$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_ROW}s" --timeout 5s -s "$BENCH_DIR/$script" "$url" -- "$@" 2)"
  api1="$(api_cpu_ns)" front1="$(container_cpu_ns front)" proxy1="$(proxy_cpu_ticks)" all1="$(all_cpu_ns)"
  echo "$out" >>"$WORK/wrk.log"
  read -r _ requests duration p50 p99 socket_errors bad_status <<<"$(grep '^RESULT' <<<"$out")"
  ROWS+=("$(awk -v l="$label" -v c="$CONNECTIONS" -v n="$requests" -v d="$duration" -v p50="$p50" -v p99="$p99" \
    -v e=$((socket_errors + bad_status)) -v a0="$api0" -v a1="$api1" \
    'BEGIN { cpu = a0 < 0 ? "-" : sprintf("%.0f", (a1 - a0) / 1000 / n)
             printf "%s|%s|%.0f|%.2f|%.2f|%d|%s", l, c, n / (d / 1e6), p50 / 1000, p99 / 1000, e, cpu }')")
  FIGURES+=("$(awk -v l="$label" -v n="$requests" -v f0="$front0" -v f1="$front1" -v p0="$proxy0" -v p1="$proxy1" -v hz="$CLOCK_TICKS" \
    'BEGIN { printf "%s: front (HAProxy) CPU %.0f µs/request, docker-proxy CPU %.0f µs/request", l, (f1 - f0) / 1000 / n, (p1 - p0) / hz * 1e6 / n }')")
  FIGURES+=("$(awk -v l="$label" -v n="$requests" -v a0="$all0" -v a1="$all1" -v p0="$proxy0" -v p1="$proxy1" -v hz="$CLOCK_TICKS" \
    'BEGIN { split(a0, before, " "); split(a1, after, " ")
             for (i in before) { split(before[i], kv, "="); start[kv[1]] = kv[2] }
             line = ""; total = (p1 - p0) / hz * 1e9
             for (i = 1; i in after; i++) { split(after[i], kv, "=")
               if (kv[1] in start && kv[2] >= 0) { line = line sprintf(" %s %.0f,", kv[1], (kv[2] - start[kv[1]]) / 1000 / n); total += kv[2] - start[kv[1]] } }
             printf "  CPU µs/request by container:%s docker-proxy %.0f; whole stack %.0f", line, (p1 - p0) / hz * 1e6 / n, total / 1000 / n }')")
  LAST_REQUESTS="$requests"
  LAST_RPS="$(awk -v n="$requests" -v d="$duration" 'BEGIN { printf "%.0f", n / (d / 1e6) }')"
}

warm() { # warm URL SCRIPT ARGS...: sets LAST_REQUESTS
  local out
  out="$(wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 5s -s "$BENCH_DIR/$2" "$1" -- "${@:3}" 2)"
  printf 'warm-up:\n%s\n' "$out" >>"$WORK/wrk.log"
  LAST_REQUESTS="$(awk '/^RESULT/ { print $2 }' <<<"$out")"
}

resolve_containers

# Both instances' JVMs compile the hot code during their first seconds of load, and that CPU would
# land in the first row: a longer warm-up on a mix of every path first.
log "warming up both instances (JIT) for $((WARMUP * 3)) s"
WARMUP_ROW="$WARMUP" WARMUP=$((WARMUP_ROW * 3 / 2))
warm "$API" get.lua hot "$HOT_FIRST" "$HOT_PRODUCTS"
warm "$API" post.lua
WARMUP="$WARMUP_ROW"

if wants hit; then
  log "hit path through the published port"
  warm "$API" get.lua hot "$HOT_FIRST" "$HOT_PRODUCTS"
  for _ in $(seq 20); do curl -s "$API/products/$HOT_FIRST" | grep -q '"source":"cache"' && break; sleep 0.25; done
  curl -s "$API/products/$HOT_FIRST" | grep -q '"source":"cache"' || die "hit path: product $HOT_FIRST is not cached"
  wrk_row "stack: hit path (GET, cached), published port" "$API" get.lua hot "$HOT_FIRST" "$HOT_PRODUCTS"
  STACK_HIT_RPS="$LAST_RPS"
fi

if wants miss; then
  log "miss path through the published port"
  warm "$API" get.lua once "$NEXT_UNREAD" 0
  NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
  curl -s "$API/products/$NEXT_UNREAD" | grep -q '"cache":"available"' || die "miss path: product $NEXT_UNREAD was not a miss with Redis up"
  NEXT_UNREAD=$((NEXT_UNREAD + 1))
  wrk_row "stack: miss path (GET, Redis healthy), published port" "$API" get.lua once "$NEXT_UNREAD" 0
  NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
fi

if wants list; then
  log "list path through the published port"
  warm "$API" list.lua "$HOT_FIRST" "$HOT_PRODUCTS" 20
  wrk_row "stack: list path (GET ?limit=20), published port" "$API" list.lua "$HOT_FIRST" "$HOT_PRODUCTS" 20
fi

if wants write; then
  log "writes through the published port"
  warm "$API" post.lua
  wrk_row "stack: writes (POST), published port" "$API" post.lua
  STACK_WRITE_RPS="$LAST_RPS"
fi

if wants direct; then
  DIRECT="http://$FRONT_ADDRESS:3000"
  if curl -fs -m 2 -o /dev/null "$DIRECT/health/live"; then
    log "hit path and writes sent to the front's own address $FRONT_ADDRESS (no docker-proxy)"
    warm "$DIRECT" get.lua hot "$HOT_FIRST" "$HOT_PRODUCTS"
    wrk_row "stack: hit path (GET, cached), front's address" "$DIRECT" get.lua hot "$HOT_FIRST" "$HOT_PRODUCTS"
    DIRECT_HIT_RPS="$LAST_RPS"
    wrk_row "stack: writes (POST), front's address" "$DIRECT" post.lua
    DIRECT_WRITE_RPS="$LAST_RPS"
  else
    log "the front's address $FRONT_ADDRESS is not reachable from this host: no direct rows"
  fi
fi

if wants pgbench; then
  log "pgbench on the leader ($LEADER), inside its container: the API's INSERT ... RETURNING"
  # ProductRepository's INSERT, with pgbench's variables for the API's parameters.
  printf '%s\n' '\set stock random(0, 99)' \
    "INSERT INTO products (name, price, stock) VALUES ('pgbench product ' || :stock, 19.99, :stock) RETURNING id, name, price, stock;" \
    | docker exec -i "$LEADER_CONTAINER" sh -c 'cat > /tmp/bench-insert.sql'
  PGBENCH="$(docker exec "$LEADER_CONTAINER" sh -c 'command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench' | head -1)"
  docker exec "$LEADER_CONTAINER" "$PGBENCH" -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_ROW" \
    -f /tmp/bench-insert.sql -U postgres products >"$WORK/pgbench.log" 2>&1 || { cat "$WORK/pgbench.log" >&2; die "pgbench failed"; }
  PGBENCH_TPS="$(awk '/^tps/ { printf "%.0f", $3; exit }' "$WORK/pgbench.log")"
  PGBENCH_LATENCY="$(awk '/^latency average/ { print $4; exit }' "$WORK/pgbench.log")"
  ROWS+=("floor: pgbench INSERT ... RETURNING on the leader (prepared, in its container)|$CONNECTIONS|$PGBENCH_TPS|-|-|0|-")
fi

if [ -n "${BENCH_WRITE_SWEEP:-}" ]; then
  # Writes again with other write concurrencies per instance: only the two API containers are
  # recreated (compose up --no-deps), with an override file; the database tier stays as it is.
  for concurrency in $BENCH_WRITE_SWEEP; do
    pool=$(( concurrency > 16 ? concurrency : 16 ))
    log "writes with DB_WRITE_CONCURRENCY=$concurrency (DB_WRITE_POOL_SIZE=$pool) on both instances"
    {
      echo 'version: "2.4"'
      echo 'services:'
      for service in api-1 api-2; do
        printf '  %s:\n    environment:\n      DB_WRITE_CONCURRENCY: "%s"\n      DB_WRITE_POOL_SIZE: "%s"\n' "$service" "$concurrency" "$pool"
        for setting in ${BENCH_API_ENV:-}; do echo "      ${setting%%=*}: \"${setting#*=}\""; done
      done
    } >"$WORK/write-sweep.yml"
    COMPOSE_FILES=(-f "$REPO/docker-compose.yml" -f "$WORK/write-sweep.yml")
    [ -f "$WORK/front-cfg.yml" ] && COMPOSE_FILES+=(-f "$WORK/front-cfg.yml")
    compose up -d --no-deps api-1 api-2 >>"$WORK/compose-up.log" 2>&1
    resolve_containers
    sleep 2
    for _ in $(seq 120); do curl -fs -o /dev/null "$API/health" && front_counts_up && break; sleep 1; done
    front_counts_up || die "the API instances did not come back with DB_WRITE_CONCURRENCY=$concurrency"
    WARMUP_ROW="$WARMUP" WARMUP=$((WARMUP_ROW * 3))
    warm "$API" post.lua
    WARMUP="$WARMUP_ROW"
    wrk_row "stack: writes (POST), published port, DB_WRITE_CONCURRENCY=$concurrency" "$API" post.lua
    SWEEP_FIGURES+=("$(awk -v c="$concurrency" -v w="$LAST_RPS" -v t="${PGBENCH_TPS:-0}" \
      'BEGIN { if (t > 0) printf "API writes with DB_WRITE_CONCURRENCY=%s / pgbench: %.2f (%d of %d per s)", c, w / t, w, t }')")
  done
fi

STACK_METRICS="$(curl -s "$API/metrics" || true)"
echo "$STACK_METRICS" >"$WORK/metrics.txt"
MEASURED_AT="$(date -u '+%Y-%m-%d %H:%M UTC')"
LOAD_DURING="$(uptime)"
IMAGES="$(compose images 2>/dev/null | awk 'NR > 2 { print $2 ":" $3 }' | sort -u | tr '\n' ' ')"
teardown_now() { teardown; set -e; STARTED=0; trap - EXIT; }
teardown_now
trap 'exit 130' INT TERM

if wants single; then
  log "single process: bench/run.sh with BENCH_PATHS=hit"
  BENCH_PATHS=hit bash "$BENCH_DIR/run.sh" >"/tmp/products-stack-bench-single.$$" 2>&1 || { cat "/tmp/products-stack-bench-single.$$" >&2; die "bench/run.sh failed"; }
  SINGLE_ROW="$(grep '^| hit path (GET, cached) | 32 |' "/tmp/products-stack-bench-single.$$" | head -1)"
  rm -f "/tmp/products-stack-bench-single.$$"
  SINGLE_HIT_RPS="$(awk -F'|' '{ gsub(/ /, "", $4); print $4 }' <<<"$SINGLE_ROW")"
  ROWS+=("$(awk -F'|' '{ for (i = 2; i < NF; i++) { gsub(/^ +| +$/, "", $i) }; printf "single process (bench/run.sh): %s|%s|%s|%s|%s|%s|%s", $2, $3, $4, $5, $6, $7, $8 }' <<<"$SINGLE_ROW")")
fi

# ---------------------------------------------------------------- the table
{
  echo
  echo "products API benchmark, the compose stack, $MEASURED_AT, $(nproc) cores, $(uname -sr)"
  echo "${SECONDS_PER_ROW} s per row, $CONNECTIONS connections, wrk on the host; images: $IMAGES"
  echo "front configuration: ${BENCH_FRONT_CFG:-front.cfg}${BENCH_API_ENV:+; API settings: $BENCH_API_ENV}"
  if [ -n "$PROXY_PID" ]; then
    echo "published port: carried by docker-proxy (the engine's userland proxy is on, Docker's default)"
  else
    echo "published port: carried by the kernel's NAT (no docker-proxy: the engine runs with \"userland-proxy\": false)"
  fi
  echo "load at the end of the stack rows: $LOAD_DURING"
  echo
  echo "| path | connections | requests/s | p50 ms | p99 ms | errors | API CPU µs/request (both instances) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for row in "${ROWS[@]}"; do echo "| ${row//|/ | } |"; done
  echo
  for figure in "${FIGURES[@]}"; do echo "$figure"; done
  [ -n "${STACK_HIT_RPS:-}" ] && [ -n "${SINGLE_HIT_RPS:-}" ] && \
    awk -v s="$STACK_HIT_RPS" -v p="$SINGLE_HIT_RPS" 'BEGIN { printf "stack hit (published port) / single-process hit: %.2f (%d of %d req/s)\n", s / p, s, p }'
  [ -n "${DIRECT_HIT_RPS:-}" ] && [ -n "${SINGLE_HIT_RPS:-}" ] && \
    awk -v s="$DIRECT_HIT_RPS" -v p="$SINGLE_HIT_RPS" 'BEGIN { printf "stack hit (front'"'"'s address) / single-process hit: %.2f (%d of %d req/s)\n", s / p, s, p }'
  [ -n "${STACK_WRITE_RPS:-}" ] && [ -n "${PGBENCH_TPS:-}" ] && \
    awk -v w="$STACK_WRITE_RPS" -v t="$PGBENCH_TPS" 'BEGIN { printf "API writes (published port) / pgbench INSERT on the leader: %.2f (%d of %d per s; target >= 0.6)\n", w / t, w, t }'
  [ -n "${DIRECT_WRITE_RPS:-}" ] && [ -n "${PGBENCH_TPS:-}" ] && \
    awk -v w="$DIRECT_WRITE_RPS" -v t="$PGBENCH_TPS" 'BEGIN { printf "API writes (front'"'"'s address) / pgbench INSERT on the leader: %.2f (%d of %d per s)\n", w / t, w, t }'
  for figure in "${SWEEP_FIGURES[@]}"; do [ -n "$figure" ] && echo "$figure"; done
  [ -n "${PGBENCH_LATENCY:-}" ] && echo "pgbench INSERT latency average on the leader: $PGBENCH_LATENCY ms"
  # One instance's view at the end (the front sent /metrics to either): what was shed, the pools.
  echo "one instance's counters at the end of the stack rows:"
  grep -E '^(http_requests_shed_total|db_bulkhead_in_use|db_pool_connections|cache_fills_total|cache_redis_failures_total)' <<<"$STACK_METRICS" | sed 's/^/  /' || true
}
