"""One `train` job: fine-tune the active model on a training set, export, evaluate, register a candidate.

The training set and the trained version live in the object store (STORAGE_URL; the folder DATA_DIR by default,
see objects.py). Nothing is visible before it is complete: the model is built in a staging folder (in a folder
store DATA_DIR/models/.staging/, renamed to DATA_DIR/models/<version>/; with S3 under DATA_DIR/tmp/train/, then put
under models/<version>/ of the bucket) and only once its files and scores are in the store is its row inserted. A
killed trainer leaves at most a staging folder or files without a row, both removed by the next attempt; the
active model is only read. The version name comes from the job id, so a retried job makes the same version, once.
"""

import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import torch

from . import paths
from .evaluate import evaluate, has_pairs
from .finetune import finetune
from .objects import check_key, open_store, sha256_file
from .store import Store, Version
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


def dataset_key(data: dict) -> str:
    key = str(data.get("datasetDir") or "")
    try:
        return check_key(key.rstrip("/"))
    except ValueError:
        raise BadJob(f"datasetDir {key!r} is not a training set's name in the store (training-sets/<name>)") from None


def model_file(objects, version: Version, cache: Path) -> Path:
    """The version's ONNX file on this machine, checked against its recorded SHA-256 (as the Node workers do):
    a shipped version in the repository, a trained one from the store."""
    if version.parent_version is None:
        path = paths.REPO / version.onnx_path
    else:
        path = objects.model_file(version, cache)
    if (sha := sha256_file(path)) != version.onnx_sha256:
        if path.is_relative_to(cache):
            path.unlink(missing_ok=True)  # a spoilt copy is fetched again next time
        raise RuntimeError(f"model version {version.version}: its ONNX file {version.onnx_path} has SHA-256 {sha}, not the recorded {version.onnx_sha256}")
    return path


def run(data: dict, job_id: str, progress: Callable[[int], None]) -> dict:
    data_dir = paths.data_dir()
    work = data_dir / "tmp"  # this machine's working folder
    objects = open_store(paths.storage_url(), data_dir)
    store = Store(paths.database_url())
    key = dataset_key(data)
    steps = int(data.get("steps", 300))
    if not 1 <= steps <= 100_000:
        raise BadJob(f"steps must be between 1 and 100000, got {steps}")

    parent = store.active()
    version = new_version(parent.version, job_id)
    done = store.exists(version)
    if done:
        return {"version": version, **done}
    objects.clear_version(version, work)
    attempt = objects.attempt(version, work)
    try:
        dataset = objects.training_set(key, attempt.scratch / "set")
        if dataset is None:
            raise BadJob(f"no training set {key!r} in {objects.describe} (expected {key}/manifest.json)")
        if not has_pairs(dataset / "train"):
            raise BadJob(f"the training set {key} has no training pairs (every decision is in the validation split)")
        parent_onnx = model_file(objects, parent, work / "models")
        progress(2)
        card, metrics, manifest = build(parent, parent_onnx, dataset, key, steps, version, attempt.staging, progress)
        sha = sha256_file(attempt.staging / MODEL_FILE)
        objects.publish_version(attempt.staging, version)
        store.insert_candidate(version, parent.version, card, f"models/{version}/{MODEL_FILE}", sha, manifest, metrics, data.get("requestedBy"))
    finally:
        shutil.rmtree(attempt.scratch, ignore_errors=True)
    progress(100)
    print(f"trainer: {version} from {parent.version}: district F1 {metrics['district-validation'].get('f1')}, synthetic F1 {metrics['synthetic'].get('f1')}", file=sys.stderr, flush=True)
    return {"version": version, "parentVersion": parent.version, "metrics": metrics}


def build(parent: Version, parent_onnx: Path, dataset: Path, key: str, steps: int, version: str, staging: Path, progress: Callable[[int], None]) -> tuple[dict, dict, dict]:
    """Fine-tunes the parent, exports the version's ONNX file and card into `staging` and scores it; returns the
    card, the scores and the training set's manifest."""
    config = parent.card.get("training", {}).get("config") or json.loads(paths.SHIPPED_CONFIG.read_text())
    model = from_onnx(config, parent_onnx)
    record = finetune(model, dataset / "train", {"steps": steps}, lambda step, _loss: progress(5 + int(75 * step / steps)))

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
            "trainingSet": {"dir": key, "manifestSha256": sha256_file(dataset / "manifest.json"), "counts": manifest.get("counts")},
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
    card["metrics"] = {**metrics, "parentOnDistrictValidation": scores(dataset / "val", parent_onnx, "district validation")}
    card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return card, metrics, manifest
