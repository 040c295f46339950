"""PyTorch against the exported ONNX model on a shape other than the export shape."""

from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from cdnet.model import build

SHAPE = (3, 6, 96, 160)


def parity(config: dict, weights: Path, onnx_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Returns (pytorch output, onnxruntime output) for one seeded random input of SHAPE."""
    model = build(config)
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    model.eval()
    x = torch.rand(*SHAPE, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = model(x).numpy()
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    return expected, session.run(["change"], {"pair": x.numpy()})[0]
