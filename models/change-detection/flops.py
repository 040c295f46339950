"""Prints parameters and FLOPs (2 per multiply-add) of the configured model on one 256x256 pair."""

import json
import sys

import torch
from torch.utils.flop_counter import FlopCounterMode

from cdnet.model import build


def count(config: dict, size: int = 256) -> tuple[int, int]:
    model = build(config).eval()
    params = sum(p.numel() for p in model.parameters())
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(torch.rand(1, 6, size, size))
    return params, counter.get_total_flops()


if __name__ == "__main__":
    config = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "config.json"))
    params, flops = count(config)
    print(json.dumps({"params": params, "gflop_per_256_pair": round(flops / 1e9, 3)}))
