"""The PyTorch network of an ONNX change model, for fine-tuning.

Only ONNX files are shipped and stored, and the exporter folded every batch norm into the convolution before it,
so the weights cannot be loaded by name. The network is rebuilt from its config instead, and each convolution
takes the ONNX convolution at the same place in execution order; a folded bias goes into the batch norm after
it, which is set to the identity (mean 0, variance 1 - eps, scale 1). In evaluation mode that network computes
exactly what the ONNX graph does; fine-tuning keeps the batch norms in evaluation mode (frozen statistics), so it
stays a plain convolutional network that exports the same way again.
"""

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper
from torch import nn

from . import paths  # noqa: F401  (puts cdnet on the path)
from cdnet.model import build


def onnx_conv_weights(model_path: Path) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """(weight, bias) of every distinct convolution of the graph, in the order the graph first runs it."""
    graph = onnx.load(str(model_path)).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    alias = {n.output[0]: n.input[0] for n in graph.node if n.op_type == "Identity"}
    resolve = lambda name: resolve(alias[name]) if name in alias else name  # noqa: E731
    seen: set[str] = set()
    convs = []
    for node in graph.node:
        if node.op_type != "Conv":
            continue
        w = resolve(node.input[1])
        if w in seen:
            continue
        seen.add(w)
        b = resolve(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        convs.append((init[w], init[b] if b else None))
    return convs


def call_order(model: nn.Module) -> list[nn.Module]:
    """The convolutions and batch norms of the model in the order a forward pass first calls them."""
    order: list[nn.Module] = []
    hooks = [
        m.register_forward_pre_hook(lambda m, _: order.append(m) if m not in order else None)
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.BatchNorm2d))
    ]
    with torch.no_grad():
        model.eval()(torch.rand(1, 6, 64, 64))
    for h in hooks:
        h.remove()
    return order


def freeze_batch_norms(model: nn.Module) -> None:
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()


def from_onnx(config: dict, model_path: Path) -> nn.Module:
    """The network of `config` holding the weights of the ONNX file; raises if the two do not fit."""
    model = build(config)
    order = call_order(model)
    convs = [m for m in order if isinstance(m, nn.Conv2d)]
    weights = onnx_conv_weights(model_path)
    if len(convs) != len(weights):
        raise ValueError(f"{model_path}: {len(weights)} convolutions, the network of the config has {len(convs)}")
    with torch.no_grad():
        for conv, (w, b) in zip(convs, weights):
            if tuple(conv.weight.shape) != w.shape:
                raise ValueError(f"{model_path}: convolution of shape {w.shape} where the config has {tuple(conv.weight.shape)}")
            conv.weight.copy_(torch.from_numpy(np.array(w)))
            i = order.index(conv)
            bn = order[i + 1] if i + 1 < len(order) and isinstance(order[i + 1], nn.BatchNorm2d) else None
            bias = torch.from_numpy(np.array(b)) if b is not None else torch.zeros(w.shape[0])
            if bn is None:
                if conv.bias is None:
                    raise ValueError(f"{model_path}: a convolution with a bias has neither bias nor batch norm in the network")
                conv.bias.copy_(bias)
            else:
                bn.weight.fill_(1.0)
                bn.bias.copy_(bias)
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
    model.eval()
    return model


def max_difference(model: nn.Module, model_path: Path, shape: tuple[int, ...] = (2, 6, 96, 160)) -> float:
    """Largest absolute difference between the network and the ONNX file on one seeded random input."""
    x = torch.rand(*shape, generator=torch.Generator().manual_seed(1))
    model.eval()
    with torch.no_grad():
        expected = model(x).numpy()
    session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    return float(np.abs(expected - session.run(["change"], {"pair": x.numpy()})[0]).max())
