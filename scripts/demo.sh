#!/usr/bin/env bash
# npm run demo [-- --check]: install, start services, migrate, seed, start server and worker, print URL and logins.
# With --check: verify the app answers, print a one-line summary, stop what it started and exit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

check=0
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    *) echo "usage: npm run demo [-- --check]" >&2; exit 2 ;;
  esac
done
export PORT="${PORT:-8080}"

ensure_node_modules
ensure_report_tools
bash scripts/services.sh start
npx tsx core/src/db/migrate-cli.ts
mkdir -p .data
npx tsx data/src/seed-cli.ts --logins .data/demo-logins.json
ensure_web_build

pids=()
stop_children() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_children EXIT
trap 'exit 130' INT TERM

LOG_LEVEL="${LOG_LEVEL:-warn}" node --import tsx server/src/main.ts &
pids+=($!)
node --import tsx workers/src/main.ts &
pids+=($!)
# The trainer only where its venv is already there: installing PyTorch would make the first demo minutes slower.
if [ -x models/.venv/bin/python ] && models/.venv/bin/python -c 'import torch, bullmq, psycopg, boto3' 2>/dev/null; then
  (cd models/trainer && exec ../.venv/bin/python -m tuban_trainer) &
  pids+=($!)
else
  log "trainer not started (fine-tuning from decisions, docs/learning.md): add it with bash models/setup-venv.sh (about 3 minutes), then restart the demo"
fi

check_args=(--wait)
[ "$check" = 1 ] && check_args+=(--summary)
[ "$check" = 1 ] || check_args+=(--imagery)
npx tsx scripts/demo-check.ts "${check_args[@]}"
if [ "$check" = 1 ]; then exit 0; fi

cat <<TXT

  Tuban is running at http://localhost:$PORT   (API docs: http://localhost:$PORT/docs)
  Demo logins are listed above; they are kept in .data/demo-logins.json.
  Press Ctrl-C to stop (the database and Redis keep running: npm run services stop).

TXT
wait -n "${pids[@]}"
