"""Fine-tuning on a training set's train split, bounded by a number of steps."""

import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader

from . import paths  # noqa: F401
from cdnet.data import PairCrops, list_pairs
from train import dice_loss
from .weights import freeze_batch_norms

DEFAULTS = {"steps": 300, "batch": 8, "crop": 128, "lr": 3e-4, "weight_decay": 1e-4, "threads": 1, "seed": 7}


def finetune(model: nn.Module, train_dir: Path, options: dict, progress: Callable[[int, float], None]) -> dict:
    """Trains `model` in place for options["steps"] steps on random crops of the pairs under train_dir and returns
    the training record for the model card; progress(step, loss) is called every few steps."""
    o = {**DEFAULTS, **options}
    random.seed(o["seed"])
    np.random.seed(o["seed"])
    torch.manual_seed(o["seed"])
    torch.set_num_threads(o["threads"])
    pairs = list_pairs(train_dir)
    data = PairCrops(pairs, o["crop"], o["seed"], train=True, cache=True)
    loader = DataLoader(data, batch_size=min(o["batch"], len(data)), shuffle=True, generator=torch.Generator().manual_seed(o["seed"]), drop_last=True)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=o["lr"], weight_decay=o["weight_decay"])
    # one-cycle needs a warm-up of at least one step before its annealing: under 20 steps the warm-up is 2 steps,
    # and a run of 1 or 2 steps keeps the rate constant
    steps = o["steps"]
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=o["lr"], total_steps=steps, pct_start=max(0.1, 2 / steps)) if steps >= 3 else None
    model.train()
    freeze_batch_norms(model)
    started, step, epoch, losses = time.time(), 0, 0, []
    while step < o["steps"]:
        data.epoch = epoch
        for x, y in loader:
            logits = model.logits(x)
            loss = F.binary_cross_entropy_with_logits(logits, y) + dice_loss(logits, y, per_sample=True)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched:
                sched.step()
            losses.append(loss.item())
            step += 1
            if step % 5 == 0 or step == o["steps"]:
                progress(step, float(np.mean(losses[-20:])))
            if step >= o["steps"]:
                break
        epoch += 1
    model.eval()
    return {
        "pairs": len(pairs),
        "steps": o["steps"],
        "batch": loader.batch_size,
        "crop": o["crop"],
        "lr": o["lr"],
        "batchNorm": "frozen (statistics of the parent model)",
        "finalLoss": round(float(np.mean(losses[-20:])), 4),
        "seconds": round(time.time() - started, 1),
    }
