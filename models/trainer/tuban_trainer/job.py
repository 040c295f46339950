"""One `train` job: fine-tune the active model on a training set, export, evaluate, register a candidate.

Nothing is visible before it is complete: the model is written in DATA_DIR/models/.staging/, renamed to
DATA_DIR/models/<version>/ when its files and scores are there, and only then is its row inserted. A killed trainer
leaves at most a staging folder (removed by the next attempt) or a folder without a row (removed too); the active
model is only read. The version name comes from the job id, so a retried job makes the same version, once.
"""

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import torch

from . import paths
from .evaluate import evaluate, has_pairs
from .finetune import finetune
from .store import Store, sha256_file
from .weights import from_onnx, max_difference

import export as cd_export  # models/change-detection/export.py

MODEL_FILE = "tuban-change.onnx"
CARD_FILE = "tuban-change.card.json"


class BadJob(ValueError):
    """Input a retry cannot fix."""


def new_version(parent: str, job_id: str) -> str:
    base = parent.split("+")[0]
    return f"{base}+{re.sub(r'[^0-9A-Za-z._-]', '-', job_id)}"[:64]


def synthetic_test_dir() -> Path:
    return Path(paths.env("TRAIN_SYNTHETIC_DIR", str(paths.MODEL_CODE / "data" / "test")))


def scores(folder: Path, onnx_path: Path, what: str) -> dict:
    if not has_pairs(folder):
        return {"skipped": f"no {what} pairs at {folder}"}
    return evaluate(folder, onnx_path)


def run(data: dict, job_id: str, progress: Callable[[int], None]) -> dict:
    data_dir = paths.data_dir()
    store = Store(paths.database_url(), data_dir)
    dataset = (data_dir / str(data.get("datasetDir", ""))).resolve()
    if not data.get("datasetDir") or not (dataset / "manifest.json").is_file():
        raise BadJob(f"no training set at {data.get('datasetDir')!r} (expected DATA_DIR/<datasetDir>/manifest.json)")
    if not has_pairs(dataset / "train"):
        raise BadJob(f"the training set {data['datasetDir']} has no training pairs (every decision is in the validation split)")
    steps = int(data.get("steps", 300))
    if not 1 <= steps <= 100_000:
        raise BadJob(f"steps must be between 1 and 100000, got {steps}")

    parent = store.active()
    version = new_version(parent.version, job_id)
    done = store.exists(version)
    if done:
        return {"version": version, **done}
    models = data_dir / "models"
    final = models / version
    staging_root = models / ".staging"
    for leftover in [*staging_root.glob(f"{version}-*"), final]:
        shutil.rmtree(leftover, ignore_errors=True)
    progress(2)

    config = parent.card.get("training", {}).get("config") or json.loads(paths.SHIPPED_CONFIG.read_text())
    model = from_onnx(config, parent.onnx_path)
    record = finetune(model, dataset / "train", {"steps": steps}, lambda step, _loss: progress(5 + int(75 * step / steps)))

    staging = staging_root / f"{version}-{os.getpid()}"
    staging.mkdir(parents=True)
    torch.save(model.state_dict(), staging / "weights.pt")
    cd_export.export(config, staging / "weights.pt", staging / MODEL_FILE)
    (staging / "weights.pt").unlink()
    onnx_path = staging / MODEL_FILE
    parity = max_difference(model, onnx_path)
    if parity > 1e-4:
        raise RuntimeError(f"the exported model differs from the trained network by {parity}")
    progress(82)

    manifest = json.loads((dataset / "manifest.json").read_text())
    card = {
        **{k: v for k, v in parent.card.items() if k not in ("metrics", "throughput", "previousVersions", "plantedChangesFoundInDemoScenes", "training", "parity")},
        "version": version,
        "parent": parent.version,
        "file": MODEL_FILE,
        "parity": {"pytorchVsOnnxruntime": {"maxAbsDiff": parity, "atol": 1e-4}},
        "training": {
            "data": "the district's own decisions (docs/learning.md): chips of the training split of the set below",
            "trainingSet": {"dir": data["datasetDir"], "manifestSha256": sha256_file(dataset / "manifest.json"), "counts": manifest.get("counts")},
            "finetunedFrom": parent.version,
            "config": config,
            **record,
        },
    }
    card_path = staging / CARD_FILE
    # the evaluation reads the card beside the model (threshold, resolution) before the scores are in it
    card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    metrics = {
        "district-validation": scores(dataset / "val", onnx_path, "district validation"),
        "synthetic": scores(synthetic_test_dir(), onnx_path, "synthetic test"),
    }
    progress(92)
    card["metrics"] = {**metrics, "parentOnDistrictValidation": scores(dataset / "val", parent.onnx_path, "district validation")}
    card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    final.parent.mkdir(parents=True, exist_ok=True)
    os.rename(staging, final)
    store.insert_candidate(version, parent.version, card, f"models/{version}/{MODEL_FILE}", sha256_file(final / MODEL_FILE), manifest, metrics, data.get("requestedBy"))
    progress(100)
    print(f"trainer: {version} from {parent.version}: district F1 {metrics['district-validation'].get('f1')}, synthetic F1 {metrics['synthetic'].get('f1')}", file=sys.stderr, flush=True)
    return {"version": version, "parentVersion": parent.version, "metrics": metrics}
