"""Where the trainer finds the repository's model code and its defaults (the same as core/src/config.ts)."""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
MODEL_CODE = REPO / "models" / "change-detection"
SHIPPED_ONNX = MODEL_CODE / "tuban-change.onnx"
SHIPPED_CONFIG = MODEL_CODE / "config.json"

# cdnet (the network) and export.py live with the shipped model's training code.
if str(MODEL_CODE) not in sys.path:
    sys.path.insert(0, str(MODEL_CODE))


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def database_url() -> str:
    return env("DATABASE_URL", f"postgres://tuban@127.0.0.1:{env('TUBAN_PG_PORT', '54329')}/tuban")


def redis_url() -> str:
    return env("REDIS_URL", f"redis://127.0.0.1:{env('TUBAN_REDIS_PORT', '63799')}")


def data_dir() -> Path:
    return Path(env("DATA_DIR", str(REPO / ".data" / "files")))


def storage_url() -> str:
    """Where training sets and trained versions are kept (empty: the folder DATA_DIR), as for the other workers."""
    return os.environ.get("STORAGE_URL", "")
