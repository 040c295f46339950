#!/usr/bin/env bash
# npm test: installs what the tests need, starts the local services, runs every test (unit, integration, browser).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_node_modules
ensure_chromium
ensure_gdal
ensure_report_tools test
ensure_fuzzer
ensure_trainer_venv || log "trainer test skipped (no python3, or TUBAN_TRAINER=off)"
export CHROMIUM_PATH="$(chromium_path)"
# SeaweedFS beside PostGIS and Redis: the object-store tests and one ingest → detect → export flow run on S3.
ensure_seaweedfs && export TUBAN_S3=on || log "S3 tests skipped (SeaweedFS could not be installed)"

# Services this run started are stopped again at the end; ones already running are left alone.
started_here=0
if ! bash scripts/services.sh status | grep -q "PostGIS running" && [ -z "${DATABASE_URL:-}" ]; then started_here=1; fi
bash scripts/services.sh start
cleanup() { [ "$started_here" = 1 ] && bash scripts/services.sh stop; }
trap cleanup EXIT

npx tsc -p . && npx tsc -p web && npx tsc -p web/test
ensure_web_build
npx vitest run "$@"
