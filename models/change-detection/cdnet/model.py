"""A small siamese encoder-decoder for bi-temporal building change detection.

Input `pair` is [N, 6, H, W] in [0, 1] (before RGB, then after RGB); output `change` is [N, 1, H, W], a
probability. H and W must be multiples of 32. Each image is standardised per channel inside the graph, which
removes most of a global colour-balance or exposure difference between the two dates before any learning.
"""

import torch
from torch import nn
import torch.nn.functional as F


def conv_bn(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SepBlock(nn.Module):
    """Depthwise-separable residual block: cheap context at a given scale."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.dw = nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.pw = nn.Conv2d(c, c, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.bn1(self.dw(x)))
        return F.relu(x + self.bn2(self.pw(y)))


class ConvBlock(nn.Module):
    """Plain 3x3 residual block: more FLOPs than SepBlock, but dense convolutions run far closer to the CPU's
    peak in onnxruntime than depthwise ones."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.bn(self.conv(x)))


BLOCKS = {"sep": SepBlock, "conv": ConvBlock}


class Encoder(nn.Module):
    def __init__(self, widths: list[int], blocks: list[int], block: type[nn.Module] = SepBlock) -> None:
        super().__init__()
        stages = []
        cin = 3
        for i, (w, n) in enumerate(zip(widths, blocks)):
            layers = [conv_bn(cin, w, 2)] + [block(w) for _ in range(n)]
            stages.append(nn.Sequential(*layers))
            cin = w
        self.stages = nn.ModuleList(stages)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        return feats


class Fuse(nn.Module):
    """Mixes the two dates' features and their absolute difference into one change feature."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.mix = nn.Sequential(nn.Conv2d(3 * c, c, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True))

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return self.mix(torch.cat([a, b, torch.abs(a - b)], 1))


def decode(fused: list[torch.Tensor], up: nn.ModuleList, head: nn.Module) -> torch.Tensor:
    """U-Net style decoding of the fused change features (finest first): from the coarsest, upsample x2 and
    apply one `up` block to it concatenated with the next finer feature; the head's logits at the finest stage
    are upsampled x2 once more."""
    x = fused[-1]
    for i in range(len(fused) - 2, -1, -1):
        x = F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)
        x = up[i](torch.cat([x, fused[i]], 1))
    # The finest stage works at half resolution; buildings are several pixels wide at 0.5 m/px.
    return F.interpolate(head(x), scale_factor=2.0, mode="bilinear", align_corners=False)


class ChangeNet(nn.Module):
    def __init__(self, widths: list[int], blocks: list[int], block: str = "sep") -> None:
        super().__init__()
        kind = BLOCKS[block]
        self.encoder = Encoder(widths, blocks, kind)
        self.fuse = nn.ModuleList(Fuse(w) for w in widths)
        self.up = nn.ModuleList(
            nn.Sequential(conv_bn(widths[i + 1] + widths[i], widths[i]), kind(widths[i])) for i in range(len(widths) - 1)
        )
        self.head = nn.Conv2d(widths[0], 1, 1)

    @staticmethod
    def standardise(x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=(2, 3), keepdim=True)
        std = torch.sqrt(((x - mean) ** 2).mean(dim=(2, 3), keepdim=True) + 1e-4)
        return (x - mean) / std

    def logits(self, pair: torch.Tensor) -> torch.Tensor:
        a = self.encoder(self.standardise(pair[:, 0:3]))
        b = self.encoder(self.standardise(pair[:, 3:6]))
        return decode([f(x, y) for f, x, y in zip(self.fuse, a, b)], self.up, self.head)

    def forward(self, pair: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(pair))


def build(config: dict) -> nn.Module:
    """The network a config describes: `model.encoder` "efficientnet-lite0" is the pretrained-encoder net of
    cdnet/lite.py; without it, the plain ChangeNet above."""
    m = config["model"]
    if m.get("encoder") == "efficientnet-lite0":
        from cdnet.lite import LiteChangeNet  # lite.py builds on this module's blocks

        return LiteChangeNet(m["widths"], m.get("frozen_blocks", 0), m.get("frozen_bn", False))
    return ChangeNet(m["widths"], m["blocks"], m.get("block", "sep"))
