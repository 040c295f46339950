"""Pairs in the LEVIR-CD folder layout (A/, B/, label/) as training samples."""

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset


def list_pairs(root: str | Path) -> list[tuple[Path, Path, Path]]:
    root = Path(root)
    names = sorted(p.name for p in (root / "A").glob("*.png"))
    if not names:
        raise SystemExit(f"no pairs in {root}: expected {root}/A/*.png, B/*.png and label/*.png")
    return [(root / "A" / n, root / "B" / n, root / "label" / n) for n in names]


def load_pair(a: Path, b: Path, label: Path) -> tuple[np.ndarray, np.ndarray]:
    """Returns the pair as float32 [6, H, W] in [0, 1] and the mask as float32 [1, H, W] in {0, 1}."""
    before = np.asarray(Image.open(a).convert("RGB"), dtype=np.float32) / 255
    after = np.asarray(Image.open(b).convert("RGB"), dtype=np.float32) / 255
    mask = (np.asarray(Image.open(label).convert("L")) > 127).astype(np.float32)
    return np.concatenate([before, after], 2).transpose(2, 0, 1).copy(), mask[None]


def load_pair_u8(a: Path, b: Path, label: Path) -> np.ndarray:
    """The pair and its mask as one uint8 [7, H, W] array (before RGB, after RGB, mask 0/1): a seventh of the
    memory of float32, so a few thousand pairs stay decoded in memory for the whole run."""
    before = np.asarray(Image.open(a).convert("RGB"), dtype=np.uint8)
    after = np.asarray(Image.open(b).convert("RGB"), dtype=np.uint8)
    mask = (np.asarray(Image.open(label).convert("L")) > 127).astype(np.uint8)
    return np.concatenate([before, after, mask[:, :, None]], 2).transpose(2, 0, 1).copy()


class PairCrops(Dataset):
    """Random square crops with the same flip/rotation for both dates and the mask."""

    def __init__(self, pairs: list[tuple[Path, Path, Path]], crop: int, seed: int, train: bool, cache: bool = False) -> None:
        self.pairs = pairs
        self.crop = crop
        self.train = train
        self.seed = seed
        self.epoch = 0
        # Decoding three PNGs per sample costs about as much as a training step on one core; decode once.
        self.cached = [load_pair_u8(*p) for p in pairs] if cache else None

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        if self.cached is not None:
            raw = self.cached[i]
            x, y = raw[:6].astype(np.float32) / 255, raw[6:].astype(np.float32)
        else:
            x, y = load_pair(*self.pairs[i])
        rng = np.random.default_rng((self.seed, self.epoch, i))
        h, w = x.shape[1:]
        if self.train:
            top = int(rng.integers(0, h - self.crop + 1))
            left = int(rng.integers(0, w - self.crop + 1))
        else:
            top, left = (h - self.crop) // 2, (w - self.crop) // 2
        x = x[:, top : top + self.crop, left : left + self.crop]
        y = y[:, top : top + self.crop, left : left + self.crop]
        if self.train:
            k = int(rng.integers(0, 4))
            x, y = np.rot90(x, k, (1, 2)), np.rot90(y, k, (1, 2))
            if rng.random() < 0.5:
                x, y = x[:, :, ::-1], y[:, :, ::-1]
        return torch.from_numpy(x.copy()), torch.from_numpy(y.copy())
