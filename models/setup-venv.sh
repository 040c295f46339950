#!/usr/bin/env bash
# Makes models/.venv (git-ignored) with what the trainer worker needs (models/trainer/requirements.txt, pinned:
# PyTorch CPU, onnx, onnxruntime, BullMQ for Python, psycopg, boto3 for S3); re-running only installs what changed.
# With --training also installs models/change-detection/requirements.txt (training the shipped model from scratch).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
command -v python3 >/dev/null || { echo "python3 (3.11+) is needed for the trainer: apt-get install python3 python3-venv" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
reqs=(-r "$HERE/trainer/requirements.txt")
[ "${1:-}" = --training ] && reqs+=(-r "$HERE/change-detection/requirements.txt")
stamp="$VENV/.installed"
if [ ! -f "$stamp" ] || [ -n "$(find "$HERE/trainer/requirements.txt" "$HERE/change-detection/requirements.txt" -newer "$stamp" -print -quit)" ] || [ "${1:-}" = --training ]; then
  echo "[tuban] installing the trainer's Python packages into models/.venv"
  "$VENV/bin/pip" install --disable-pip-version-check -q "${reqs[@]}"
  touch "$stamp"
fi
