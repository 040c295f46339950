"""The exported ONNX model against the PyTorch one on a shape other than the export shape.

    cd models/change-detection && ../.venv/bin/pytest -q test_parity.py
"""

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from cdnet.model import build

HERE = Path(__file__).resolve().parent


def test_onnx_matches_pytorch_on_another_shape() -> None:
    config = json.loads((HERE / "config.json").read_text())
    model = build(config)
    model.load_state_dict(torch.load(HERE / "runs" / config["name"] / "best.pt", map_location="cpu"))
    model.eval()
    x = torch.rand(3, 6, 96, 160, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = model(x).numpy()
    session = ort.InferenceSession(str(HERE / f"{config['name']}.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(["change"], {"pair": x.numpy()})[0]
    assert got.shape == (3, 1, 96, 160)
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=0)
