"""The exported ONNX model against the PyTorch one on a shape other than the export shape (atol 1e-4).

    cd models/change-detection && ../.venv/bin/pytest -q test_parity.py

Needs the trained weights in runs/ (train.py makes them) and the export (export.py, with --candidate for a
model that is not shipped); export.py records the same check in the card.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from cdnet.parity import SHAPE, parity
from cdnet.runs import onnx_file, run_dir

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("config_name, candidate", [("config.json", False), ("config-0.4.json", True)])
def test_onnx_matches_pytorch_on_another_shape(config_name: str, candidate: bool) -> None:
    config = json.loads((HERE / config_name).read_text())
    expected, got = parity(config, run_dir(config, HERE) / "best.pt", onnx_file(config, HERE, candidate))
    assert got.shape == (SHAPE[0], 1, SHAPE[2], SHAPE[3])
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=0)
