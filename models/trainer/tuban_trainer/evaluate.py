"""Scores a model with the product's own evaluation (models/change-detection/evaluate.ts, through onnxruntime-node),
so a trained version is measured exactly as the shipped one was."""

import json
import subprocess
from pathlib import Path

from .paths import REPO


def has_pairs(folder: Path) -> bool:
    return any((folder / "A").glob("*.png"))


def evaluate(folder: Path, onnx_path: Path) -> dict:
    """The `model` scores that `npm run eval -- DIR --json` prints (f1, objectPrecision, falseAlarmsPerKm2, …)."""
    out = subprocess.run(
        ["npx", "tsx", "models/change-detection/evaluate.ts", str(folder), "--model", str(onnx_path), "--json"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"evaluating {onnx_path.name} on {folder} failed: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])["model"]
