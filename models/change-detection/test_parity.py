"""The exported ONNX model against the PyTorch one on a shape other than the export shape (atol 1e-4).

    cd models/change-detection && ../.venv/bin/pytest -q test_parity.py

Needs the trained weights in runs/ (train.py makes them); export.py records the same check in the card.
"""

import json
from pathlib import Path

import numpy as np

from cdnet.parity import SHAPE, parity
from cdnet.runs import run_dir

HERE = Path(__file__).resolve().parent


def test_onnx_matches_pytorch_on_another_shape() -> None:
    config = json.loads((HERE / "config.json").read_text())
    name = config["name"]
    expected, got = parity(config, run_dir(config, HERE) / "best.pt", HERE / f"{name}.onnx")
    assert got.shape == (SHAPE[0], 1, SHAPE[2], SHAPE[3])
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=0)
