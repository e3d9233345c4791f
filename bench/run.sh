#!/usr/bin/env bash
# One-command load benchmark of the products API against its physical floor.
#
#   bench/run.sh            (from the repository root; as root it installs what is missing)
#
# Starts, on loopback only and in a temporary directory: PostgreSQL 15 and Redis 7 from Debian's
# packages (no Docker, so no proxy hop between the API and its servers), and the API jar
# (target/products-api.jar, rebuilt when missing or older than the sources) with the JVM settings
# of its image (docker/api/Dockerfile's JDK_JAVA_OPTIONS). Then wrk measures the ceiling (a
# constant answer through com.sun.net.httpserver with the API's worker count, bench/Ceiling.java),
# the hit path (near copies), the hit path from Redis (a second API with NEAR_CACHE_ENTRIES=0), the
# miss path with Redis healthy, the hit and miss paths again on the warm JVM, the miss path with
# Redis down (breaker open) and writes, at 32 connections and at 1 connection, the hit path at 512
# connections (overload: what is answered, what is shed, the API's memory), and redis-benchmark GET
# and pgbench -S measure the same servers as the floor.
# Prints one table and a summary (ratios, the API's start-up time and resident memory, where the
# API's CPU went by thread in the two miss rows compared), and tears down everything it started,
# also on Ctrl-C or failure.
#
# Settings (environment): BENCH_SECONDS (10 per row), BENCH_WARMUP_SECONDS (5 per path),
# BENCH_JAVA_OPTS (added to the image's settings, e.g.
# -XX:StartFlightRecording=filename=bench.jfr,settings=profile), BENCH_JVM_OPTIONS (replaces the
# image's settings; "" for the JVM defaults), BENCH_KEEP=1 keeps the working directory (logs) for
# inspection, BENCH_PORT_BASE (55000), BENCH_OVERLOAD_CONNECTIONS (512), BENCH_PATHS to measure a
# subset while tuning (default "ceiling hit redishit overload miss write list wide floor down"),
# BENCH_PRODUCTS (1000000 seeded; 10000000 for the scale run), BENCH_WIDE_IDS (1000000: the wide
# path reads this many distinct ids twice each, the API's memory sampled meanwhile).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
SECONDS_PER_ROW="${BENCH_SECONDS:-10}"
WARMUP="${BENCH_WARMUP_SECONDS:-5}"
PORT_BASE="${BENCH_PORT_BASE:-55000}"
PG_PORT=$((PORT_BASE + 432)) REDIS_PORT=$((PORT_BASE + 379)) API_PORT=$((PORT_BASE + 300)) CEILING_PORT=$((PORT_BASE + 301))
NO_COPIES_PORT=$((PORT_BASE + 302))   # a second API with near copies off, for the Redis-hit row
OVERLOAD_CONNECTIONS="${BENCH_OVERLOAD_CONNECTIONS:-512}"
HOT_PRODUCTS=1000        # the hit path reads these, all cached after the warm-up
SEEDED_PRODUCTS="${BENCH_PRODUCTS:-1000000}"  # the miss rows read each of these at most once
WIDE_IDS="${BENCH_WIDE_IDS:-1000000}"          # the wide path reads each of these twice
[ "$WIDE_IDS" -le "$SEEDED_PRODUCTS" ] || WIDE_IDS="$SEEDED_PRODUCTS"
API="http://127.0.0.1:$API_PORT"
PATHS=" ${BENCH_PATHS:-ceiling hit redishit overload miss write list wide floor down} "
wants() { [[ "$PATHS" == *" $1 "* ]]; }
export BENCH_DIR

log() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-benchmark >/dev/null || missing+=(redis-tools)
[ -x "${PG_BIN:-}/postgres" ] || missing+=(postgresql)
command -v pgbench >/dev/null || missing+=(postgresql)   # Debian ships pgbench with the server
command -v psql >/dev/null || missing+=(postgresql-client)
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || [ -f "$REPO/target/products-api.jar" ] || missing+=(maven)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing: ${missing[*]} (install them with apt-get, or run as root)"
  log "installing ${missing[*]} from Debian's packages"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
for port in "$PG_PORT" "$REDIS_PORT" "$API_PORT" "$CEILING_PORT" "$NO_COPIES_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use; set BENCH_PORT_BASE to another base"
  fi
done
# Measure the code as it is: rebuild when the jar is missing or older than a source file.
if [ ! -f "$REPO/target/products-api.jar" ] || [ -n "$(find "$REPO/src/main" "$REPO/pom.xml" -newer "$REPO/target/products-api.jar" -print -quit)" ]; then
  log "building target/products-api.jar"
  (cd "$REPO" && mvn -B -q -DskipTests package)
fi

# ---------------------------------------------------------------- the stack
WORK="$(mktemp -d /tmp/products-bench.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
teardown() {
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  [ -f "$WORK/pg/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap teardown EXIT
trap 'exit 130' INT TERM

log "PostgreSQL on 127.0.0.1:$PG_PORT"
mkdir -p "$WORK/pg" "$WORK/sock" "$WORK/pglog"
if [ "$(id -u)" = 0 ]; then chown postgres: "$WORK/pg" "$WORK/sock" "$WORK/pglog"; fi
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U products -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pglog/postgres.log" -w start -o \
  "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/sock -c max_connections=200 -c shared_buffers=256MB" >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U products)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE products" -c "CREATE DATABASE pgbench"

log "Redis on 127.0.0.1:$REDIS_PORT"
start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
  die "Redis did not start (see $WORK/redis.log)"
}
start_redis

# The image's JVM settings (one place: docker/api/Dockerfile), unless BENCH_JVM_OPTIONS replaces them.
IMAGE_JVM_OPTIONS="$(sed -n 's/^ENV JDK_JAVA_OPTIONS="\(.*\)"$/\1/p' "$REPO/docker/api/Dockerfile")"
API_JVM_OPTIONS="${BENCH_JVM_OPTIONS-$IMAGE_JVM_OPTIONS}"
log "API on 127.0.0.1:$API_PORT (JVM settings: ${API_JVM_OPTIONS:-the JVM defaults} ${BENCH_JAVA_OPTS:-})"
# start_api PORT LOG [VAR=VALUE...]: starts an API on PORT with the bench's settings; sets STARTED_PID.
start_api() {
  local port="$1" logfile="$2"; shift 2
  # The writes' key (bench/post.lua): the compose stack's development key, accepted as client "bench".
  # shellcheck disable=SC2086
  env API_KEYS="bench:$(printf %s "${BENCH_API_KEY:-products-dev-key-not-secret}" | sha256sum | cut -d' ' -f1)" \
    PORT="$port" DB_WRITE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/products" DB_USER=products DB_PASSWORD= \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT" "$@" \
    java $API_JVM_OPTIONS ${BENCH_JAVA_OPTS:-} -jar "$REPO/target/products-api.jar" >"$logfile" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  for _ in $(seq 1200); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/health" && return
    kill -0 "$STARTED_PID" 2>/dev/null || { cat "$logfile" >&2; die "the API exited"; }
    sleep 0.05
  done
  curl -fs -o /dev/null "http://127.0.0.1:$port/health" || { cat "$logfile" >&2; die "the API is not healthy"; }
}
API_LAUNCHED="$(date +%s.%N)"
start_api "$API_PORT" "$WORK/api.log"
API_PID="$STARTED_PID"
STARTUP_SECONDS="$(awk -v a="$API_LAUNCHED" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')"
api_rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$API_PID/status"; }

log "seeding $SEEDED_PRODUCTS products and pgbench's tables"
# The API applied it at start-up already; idempotent, and keeps seeding independent of that order.
"${PSQL[@]}" -d products -f "$REPO/src/main/resources/db/schema.sql"
"${PSQL[@]}" -d products -c "INSERT INTO products (name, price, stock)
  SELECT 'seeded product ' || i, (i % 10000) / 100.0, i % 500 FROM generate_series(1, $SEEDED_PRODUCTS) i" \
  -c "VACUUM ANALYZE products"
pgbench -q -i -s 10 -h 127.0.0.1 -p "$PG_PORT" -U products pgbench >"$WORK/pgbench-init.log" 2>&1
# Seeding leaves a million dirty buffers: flush them now, or the checkpointer writes them during
# the first rows and takes CPU from whichever path is measured then.
"${PSQL[@]}" -d products -c "CHECKPOINT"

# ---------------------------------------------------------------- measuring
ROWS=()
NEXT_UNREAD=$((HOT_PRODUCTS + 1))   # first product id no request has read yet

# CPU time the API process used so far (user + system, in clock ticks): on a machine shared with
# other work, CPU per request is a steadier figure to tune by than requests/s.
CLOCK_TICKS="$(getconf CLK_TCK)"
api_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$API_PID/stat"; }
# The same by thread, for the rows compared by where their CPU goes: a line per kind of thread
# (its name without the number: http-worker, redis-fill, C2 for the JIT compiler), with its ticks
# (user + system) and its voluntary context switches (a thread that blocked and woke again).
api_thread_ticks() {
  local task
  for task in /proc/"$API_PID"/task/*; do
    # A thread may end between the listing and the reading: it is left out, not an error.
    { awk -v name="$(sed 's/[-#0-9]*$//' "$task/comm" 2>/dev/null | awk '{ print $1 }')" \
        '{ sub(/^.*\) /, ""); ticks = $12 + $13 } END { printf "%s %d ", name, ticks }' "$task/stat" 2>/dev/null \
        && awk '/^voluntary_ctxt_switches/ { print $2 }' "$task/status" 2>/dev/null; } || echo
  done | awk 'NF == 3 { t[$1] += $2; s[$1] += $3 } END { for (n in t) print n, t[n], s[n] }' | sort
}
declare -A THREAD_PROFILES=()
PROFILED_ROWS=()
# wrk_row, with the API's CPU and context switches per request by kind of thread kept for the
# table "where the API's CPU went" (the row's label names its column there).
profiled_row() {
  local before after
  before="$(api_thread_ticks)"
  wrk_row "$@"
  after="$(api_thread_ticks)"
  PROFILED_ROWS+=("$1")
  THREAD_PROFILES["$1"]="$(join <(echo "$before") <(echo "$after") | awk -v n="$LAST_REQUESTS" -v hz="$CLOCK_TICKS" \
    '{ cpu = ($4 - $2) / hz * 1e6 / n; if (cpu >= 0.5) printf "%s %.1f %.2f\n", $1, cpu, ($5 - $3) / n }')"
}
near_hits() { curl -s "$1/metrics" | awk '/^cache_lookups_total\{result="near_hit"\}/ { printf "%d", $2; found = 1 } END { if (!found) print 0 }'; }

# wrk_row LABEL CONNECTIONS SCRIPT ARGS... : runs wrk, appends a table row.
wrk_row() {
  local label="$1" connections="$2" script="$3"; shift 3
  local threads=$(( connections >= 2 ? 2 : 1 ))
  local out cpu_before cpu_after
  cpu_before="$(api_cpu_ticks)"
  out="$(wrk -t"$threads" -c"$connections" -d"${SECONDS_PER_ROW}s" --timeout 5s -s "$BENCH_DIR/$script" "$API" -- "$@" "$threads")"
  cpu_after="$(api_cpu_ticks)"
  echo "$out" >>"$WORK/wrk.log"
  read -r _ requests duration p50 p99 socket_errors bad_status <<<"$(grep '^RESULT' <<<"$out")"
  ROWS+=("$(awk -v l="$label" -v c="$connections" -v n="$requests" -v d="$duration" -v p50="$p50" -v p99="$p99" \
    -v e=$((socket_errors + bad_status)) -v cpu=$((cpu_after - cpu_before)) -v hz="$CLOCK_TICKS" \
    'BEGIN { printf "%s|%s|%.0f|%.2f|%.2f|%d|%.0f", l, c, n / (d / 1e6), p50 / 1000, p99 / 1000, e, cpu / hz * 1e6 / n }')")
  LAST_REQUESTS="$requests" LAST_BAD="$bad_status" LAST_DURATION="$duration"
  LAST_RPS="$(awk -v n="$requests" -v d="$duration" 'BEGIN { printf "%.0f", n / (d / 1e6) }')"
}

# A path's cold start (JIT, pools) must not land in the first row; sets LAST_REQUESTS too.
warm() {
  local out
  out="$(wrk -t2 -c32 -d"${WARMUP}s" --timeout 5s -s "$BENCH_DIR/$1" "$API" -- "${@:2}" 2)"
  printf 'warm-up:\n%s\n' "$out" >>"$WORK/wrk.log"
  LAST_REQUESTS="$(awk '/^RESULT/ { print $2 }' <<<"$out")"
}

expect() { # expect WHAT URL PATTERN: a sample request shows the path under test is the one measured
  local body
  body="$(curl -s -i "$API$2")"
  grep -q "$3" <<<"$body" || die "$1: expected /$3/ in the response to $2, got: $(head -c 400 <<<"$body")"
}

# In case the warm-up never drew it, or its fill was dropped (the fill queue is bounded and a busy
# machine fills it): read the product until it is cached, for at most 5 s (the caller then checks).
await_cached() {
  for _ in $(seq 20); do
    curl -s "$API/products/$1" | grep -q '"source":"cache"' && return
    sleep 0.25
  done
}

if wants ceiling; then
  log "ceiling: a constant answer through com.sun.net.httpserver with ${HTTP_THREADS:-16} workers"
  java "$BENCH_DIR/Ceiling.java" "$CEILING_PORT" "${HTTP_THREADS:-16}" >"$WORK/ceiling.log" 2>&1 &
  CEILING_PID=$!
  PIDS+=("$CEILING_PID")
  for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$CEILING_PORT/" && break; sleep 0.1; done
  out="$(wrk -t2 -c32 -d"${WARMUP}s" -s "$BENCH_DIR/get.lua" "http://127.0.0.1:$CEILING_PORT" -- hot 1 "$HOT_PRODUCTS" 2)"
  out="$(wrk -t2 -c32 -d"${SECONDS_PER_ROW}s" -s "$BENCH_DIR/get.lua" "http://127.0.0.1:$CEILING_PORT" -- hot 1 "$HOT_PRODUCTS" 2)"
  echo "$out" >>"$WORK/wrk.log"
  read -r _ requests duration p50 p99 socket_errors bad_status <<<"$(grep '^RESULT' <<<"$out")"
  ROWS+=("$(awk -v n="$requests" -v d="$duration" -v p50="$p50" -v p99="$p99" -v e=$((socket_errors + bad_status)) \
    'BEGIN { printf "ceiling: constant answer, JDK server|32|%.0f|%.2f|%.2f|%d|-", n / (d / 1e6), p50 / 1000, p99 / 1000, e }')")
  CEILING_RPS="$(awk -v n="$requests" -v d="$duration" 'BEGIN { printf "%.0f", n / (d / 1e6) }')"
  kill "$CEILING_PID"; wait "$CEILING_PID" 2>/dev/null || true
fi

if wants hit; then
  log "warming up, then the hit path"
  warm get.lua hot 1 "$HOT_PRODUCTS"
  await_cached 7
  expect "hit path" "/products/7" '"source":"cache"'
  near_before="$(near_hits "$API")"
  wrk_row "hit path (GET, cached)" 32 get.lua hot 1 "$HOT_PRODUCTS"
  HIT_RPS="$LAST_RPS"
  HIT_RSS_MIB="$(api_rss_mib)"
  HIT_NEAR_SHARE="$(awk -v a="$near_before" -v b="$(near_hits "$API")" -v n="$LAST_REQUESTS" 'BEGIN { printf "%.1f", (b - a) * 100 / n }')"
  wrk_row "hit path (GET, cached)" 1 get.lua hot 1 "$HOT_PRODUCTS"
fi

if wants redishit; then
  # The same hot products from a second API that keeps no near copies: every hit is one Redis GET.
  log "hit path from Redis: a second API with NEAR_CACHE_ENTRIES=0"
  start_api "$NO_COPIES_PORT" "$WORK/api-no-copies.log" NEAR_CACHE_ENTRIES=0
  NO_COPIES_PID="$STARTED_PID"
  API_MAIN="$API" API_PID_MAIN="$API_PID"
  API="http://127.0.0.1:$NO_COPIES_PORT" API_PID="$NO_COPIES_PID"
  warm get.lua hot 1 "$HOT_PRODUCTS"
  await_cached 7
  expect "hit path from Redis" "/products/7" '"source":"cache"'
  wrk_row "hit path from Redis (near copies off)" 32 get.lua hot 1 "$HOT_PRODUCTS"
  REDIS_HIT_RPS="$LAST_RPS"
  [ "$(near_hits "$API")" = 0 ] || die "the API with NEAR_CACHE_ENTRIES=0 answered from near copies"
  API="$API_MAIN" API_PID="$API_PID_MAIN"
  kill "$NO_COPIES_PID"; wait "$NO_COPIES_PID" 2>/dev/null || true
fi

shed_total() { curl -s "$API/metrics" | awk '/^http_requests_shed_total/ { s += $2 } END { printf "%d", s }'; }
if wants overload; then
  log "overload: the hit path at $OVERLOAD_CONNECTIONS connections"
  OVERLOAD_RSS_BEFORE="$(api_rss_mib)"
  shed_before="$(shed_total)"
  # A client's view meanwhile: sequential requests on fresh connections; p99 of those answered 200.
  ( sleep 1; for _ in $(seq 300); do
      curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}\n' "$API/products/$((RANDOM % HOT_PRODUCTS + 1))"
    done >"$WORK/overload-probe.txt" ) &
  PROBE_PID=$!
  wrk_row "overload: hit path at 16x connections" "$OVERLOAD_CONNECTIONS" get.lua hot 1 "$HOT_PRODUCTS"
  wait "$PROBE_PID" 2>/dev/null || true
  OVERLOAD_RSS_AFTER="$(api_rss_mib)"
  OVERLOAD_SHED=$(( $(shed_total) - shed_before ))
  OVERLOAD_ANSWERED_RPS="$(awk -v n="$LAST_REQUESTS" -v bad="$LAST_BAD" -v d="$LAST_DURATION" 'BEGIN { printf "%.0f", (n - bad) / (d / 1e6) }')"
  OVERLOAD_PROBE="$(awk '$1 == 200 { print $2 * 1000 }' "$WORK/overload-probe.txt" | sort -n | awk \
    -v all="$(wc -l <"$WORK/overload-probe.txt")" -v shed="$(grep -c '^503 ' "$WORK/overload-probe.txt" || true)" \
    '{ v[NR] = $1 } END { p50 = int(NR * 0.5); p99 = int(NR * 0.99); if (p50 < 1) p50 = 1; if (p99 < 1) p99 = 1;
      printf "a client meanwhile (sequential requests, new connections): %d of %d answered 200 (p50 %.1f ms, p99 %.1f ms), %d shed with 503",
      NR, all, v[p50], v[p99], shed }')"
  curl -s "$API/metrics" | grep '^http_requests_shed_total' >"$WORK/overload-shed.txt" || true
fi

if wants miss; then
  log "miss path, Redis healthy"
  warm get.lua once "$NEXT_UNREAD" 0
  NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
  expect "miss path" "/products/$NEXT_UNREAD" '"cache":"available"'
  NEXT_UNREAD=$((NEXT_UNREAD + 1))
  for connections in 32 1; do
    wrk_row "miss path (GET, Redis healthy)" "$connections" get.lua once "$NEXT_UNREAD" 0
    NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
  done
fi

if wants write; then
  log "writes"
  warm post.lua
  wrk_row "writes (POST)" 32 post.lua
  wrk_row "writes (POST)" 1 post.lua
fi

# Keyset pages: one index range scan per request wherever the page starts, so pages at the end of
# the table must cost what the first ones cost ("flat").
if wants list; then
  log "list path: first pages, then pages anywhere in the $SEEDED_PRODUCTS products"
  warm list.lua 0 1000 20
  expect "list path" "/products?limit=20&after=$((SEEDED_PRODUCTS - 100))" '"data":\[{"id":'
  wrk_row "list: first pages (GET ?limit=20, after < 1,000)" 32 list.lua 0 1000 20
  LIST_FIRST_P99="$(cut -d'|' -f5 <<<"${ROWS[-1]}")"
  wrk_row "list: pages anywhere (after < $SEEDED_PRODUCTS)" 32 list.lua 0 "$((SEEDED_PRODUCTS - 20))" 20
  LIST_ANY_P99="$(cut -d'|' -f5 <<<"${ROWS[-1]}")"
fi

# Clients reading a million distinct ids, each twice (a miss that fills Redis, then a Redis hit that
# makes a near copy): the near copies are capped (NEAR_CACHE_ENTRIES), so the API's memory must
# level off however many ids pass through. In 15 s chunks until both passes are done.
if wants wide; then
  log "wide path: $WIDE_IDS distinct ids, each read twice"
  WIDE_RSS_BEFORE="$(api_rss_mib)"
  WIDE_RSS_MAX="$WIDE_RSS_BEFORE" wide_requests=0 wide_errors=0 wide_micros=0 wide_p99_max=0 wide_cpu_before="$(api_cpu_ticks)"
  wide_started="$(date +%s)"
  while [ "$wide_requests" -lt $((2 * WIDE_IDS)) ] && [ $(( $(date +%s) - wide_started )) -lt "${BENCH_WIDE_MAX_SECONDS:-600}" ]; do
    # Each chunk starts where the last one stopped: wrk's counters begin again at 0.
    out="$(wrk -t2 -c32 -d15s --timeout 5s -s "$BENCH_DIR/get.lua" "$API" -- once 1 "$WIDE_IDS" 2 "$((wide_requests % WIDE_IDS))")"
    echo "$out" >>"$WORK/wrk.log"
    read -r _ requests duration _ p99 socket_errors bad_status <<<"$(grep '^RESULT' <<<"$out")"
    wide_requests=$((wide_requests + requests)) wide_errors=$((wide_errors + socket_errors + bad_status))
    wide_micros=$((wide_micros + duration))
    [ "$p99" -gt "$wide_p99_max" ] && wide_p99_max="$p99"
    rss="$(api_rss_mib)"; [ "$rss" -gt "$WIDE_RSS_MAX" ] && WIDE_RSS_MAX="$rss"
  done
  WIDE_RSS_AFTER="$(api_rss_mib)"
  ROWS+=("$(awk -v n="$wide_requests" -v d="$wide_micros" -v p99="$wide_p99_max" -v e="$wide_errors" -v ids="$WIDE_IDS" \
    -v cpu=$(( $(api_cpu_ticks) - wide_cpu_before )) -v hz="$CLOCK_TICKS" \
    'BEGIN { printf "wide: %d distinct ids, each read twice (p99: the slowest 15 s chunk)|32|%.0f|-|%.2f|%d|%.0f", ids, n / (d / 1e6), p99 / 1000, e, cpu / hz * 1e6 / n }')")
fi

redis_floor() {
  local connections="$1" requests="$2" line
  line="$(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$connections" -n "$requests" -d 150 -t get --csv | grep '^"GET"')"
  # "GET","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  ROWS+=("$(awk -F'","|"' -v c="$connections" '{ printf "floor: redis-benchmark GET|%s|%.0f|%.2f|%.2f|0|-", c, $3, $6, $8 }' <<<"$line")")
}
if wants floor; then
  log "floor: redis-benchmark GET"
  redis-cli -p "$REDIS_PORT" set key:__rand_int__ "$(head -c 150 /dev/zero | tr '\0' x)" >/dev/null
  redis_floor 32 1000000
  redis_floor 1 100000
fi

if wants down; then
  # The first rows run on a JVM still compiling; the hit path is measured again here, next to the
  # row it is compared with, on the same warm JVM.
  if wants hit; then
    log "hit path again, just before Redis is stopped"
    warm get.lua hot 1 "$HOT_PRODUCTS"
    wrk_row "hit path again, just before Redis is stopped" 32 get.lua hot 1 "$HOT_PRODUCTS"
    HIT_BEFORE_DOWN_RPS="$LAST_RPS"
  fi
  # The same for the miss path: its first row ran while the JIT compiler still took a large share
  # of the CPU (C2 in the table of where the CPU went), the row with Redis down after it does not.
  if wants miss; then
    log "miss path again, just before Redis is stopped"
    warm get.lua once "$NEXT_UNREAD" 0
    NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
    profiled_row "miss path again, just before Redis is stopped" 32 get.lua once "$NEXT_UNREAD" 0
    MISS_BEFORE_DOWN_RPS="$LAST_RPS"
    NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
  fi
  log "miss path, Redis down (breaker open)"
  kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
  for i in $(seq 20); do curl -s -o /dev/null "$API/products/$i"; done   # lets the breaker see the failures
  expect "Redis down" "/products/$NEXT_UNREAD" '"cache":"unavailable"'
  NEXT_UNREAD=$((NEXT_UNREAD + 1))
  warm get.lua once "$NEXT_UNREAD" 0
  NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
  profiled_row "miss path (GET, Redis down)" 32 get.lua once "$NEXT_UNREAD" 0
  DOWN_RPS="$LAST_RPS"
  NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
  wrk_row "miss path (GET, Redis down)" 1 get.lua once "$NEXT_UNREAD" 0
  NEXT_UNREAD=$((NEXT_UNREAD + LAST_REQUESTS + 1000))
fi
[ "$NEXT_UNREAD" -le "$SEEDED_PRODUCTS" ] || log "warning: the miss rows read past the seeded products (404s counted as errors)"

pg_floor() {
  local connections="$1" threads=$(( $1 >= 2 ? 2 : 1 ))
  (cd "$WORK" && rm -f pgbench_log.* && pgbench -S -M prepared -n -c "$connections" -j "$threads" -T "$SECONDS_PER_ROW" \
    -l -h 127.0.0.1 -p "$PG_PORT" -U products pgbench >"$WORK/pgbench-$connections.log" 2>&1)
  local tps
  tps="$(grep -E '^tps' "$WORK/pgbench-$connections.log" | tail -1 | awk '{ print $3 }')"
  # Per-transaction log: the third field is the latency in microseconds.
  ROWS+=("$(cat "$WORK"/pgbench_log.* | awk '{ print $3 }' | sort -n | awk -v c="$connections" -v tps="$tps" \
    '{ v[NR] = $1 } END { printf "floor: pgbench -S (prepared)|%s|%.0f|%.2f|%.2f|0|-", c, tps, v[int(NR * 0.5)] / 1000, v[int(NR * 0.99)] / 1000 }')")
}
if wants floor; then
  log "floor: pgbench -S"
  pg_floor 32
  pg_floor 1
fi

# The API's own counters (cache timeouts, rejections, pool waits) explain outliers in the table.
curl -s "$API/metrics" >"$WORK/metrics.txt" || true

# ---------------------------------------------------------------- the table
{
  echo
  echo "products API benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)"
  echo "${SECONDS_PER_ROW} s per row, loopback, $SEEDED_PRODUCTS products seeded; PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')"
  echo
  echo "| path | connections | requests/s | p50 ms | p99 ms | errors | API CPU µs/request |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for row in "${ROWS[@]}"; do echo "| ${row//|/ | } |"; done
  echo
  echo "API: JVM settings ${API_JVM_OPTIONS:-(the JVM defaults)} ${BENCH_JAVA_OPTS:-}; start-up to a healthy /health ${STARTUP_SECONDS} s"
  [ -n "${HIT_RSS_MIB:-}" ] && echo "API resident memory (VmRSS) right after the hit path at 32 connections: ${HIT_RSS_MIB} MiB"
  [ -n "${CEILING_RPS:-}" ] && [ -n "${HIT_RPS:-}" ] && \
    awk -v h="$HIT_RPS" -v c="$CEILING_RPS" 'BEGIN { printf "hit path / ceiling: %.2f (%d of %d req/s)\n", h / c, h, c }'
  [ -n "${HIT_NEAR_SHARE:-}" ] && echo "hit path at 32 connections answered from near copies: ${HIT_NEAR_SHARE} %"
  [ -n "${REDIS_HIT_RPS:-}" ] && [ -n "${HIT_RPS:-}" ] && \
    awk -v h="$HIT_RPS" -v r="$REDIS_HIT_RPS" 'BEGIN { printf "hit path / hit path from Redis (near copies off): %.2f\n", h / r }'
  [ -n "${DOWN_RPS:-}" ] && [ -n "${HIT_BEFORE_DOWN_RPS:-}" ] && \
    awk -v h="$HIT_BEFORE_DOWN_RPS" -v m="$DOWN_RPS" 'BEGIN { printf "hit path (again, just before Redis is stopped) / miss path with Redis down: %.2f (target >= 1.5)\n", h / m }'
  [ -n "${DOWN_RPS:-}" ] && [ -n "${MISS_BEFORE_DOWN_RPS:-}" ] && \
    awk -v h="$MISS_BEFORE_DOWN_RPS" -v d="$DOWN_RPS" 'BEGIN { printf "miss path with Redis healthy (again, just before Redis is stopped) / with Redis down: %.2f (target >= 0.9)\n", h / d }'
  [ -n "${LIST_ANY_P99:-}" ] && \
    awk -v a="$LIST_ANY_P99" -v f="$LIST_FIRST_P99" 'BEGIN { printf "list p99, pages anywhere / first pages: %.2f (keyset pages are flat when about 1)\n", a / f }'
  [ -n "${WIDE_RSS_AFTER:-}" ] && \
    echo "API resident memory while $WIDE_IDS distinct ids were read twice: $WIDE_RSS_BEFORE MiB before, at most $WIDE_RSS_MAX during, $WIDE_RSS_AFTER after (near copies capped at ${NEAR_CACHE_ENTRIES:-10000})"
  if [ ${#PROFILED_ROWS[@]} -gt 0 ]; then
    echo
    echo "Where the API's CPU went, µs per request (voluntary context switches per request), by kind of thread:"
    echo
    header="| thread" rule="|---"
    for row in "${PROFILED_ROWS[@]}"; do header+=" | $row"; rule+="|---:"; done
    echo "$header |"
    echo "$rule|"
    for thread in $(for row in "${PROFILED_ROWS[@]}"; do echo "${THREAD_PROFILES[$row]}"; done | awk 'NF { cpu[$1] += $2 } END { for (t in cpu) print cpu[t], t }' | sort -rn | awk '{ print $2 }'); do
      line="| $thread"
      for row in "${PROFILED_ROWS[@]}"; do
        line+=" | $(awk -v t="$thread" '$1 == t { printf "%.1f (%.2f)", $2, $3; found = 1 } END { if (!found) printf "-" }' <<<"${THREAD_PROFILES[$row]}")"
      done
      echo "$line |"
    done
  fi
  if [ -n "${OVERLOAD_SHED:-}" ]; then
    echo "overload at $OVERLOAD_CONNECTIONS connections: $OVERLOAD_ANSWERED_RPS answered req/s, $OVERLOAD_SHED shed (http_requests_shed_total: $(tr '\n' ' ' <"$WORK/overload-shed.txt"))"
    echo "  $OVERLOAD_PROBE"
    echo "  API resident memory before / after the overload row: $OVERLOAD_RSS_BEFORE / $OVERLOAD_RSS_AFTER MiB"
  fi
}
