"""INT8 variant of a change model: onnxruntime static quantisation (QDQ), calibrated on synthetic pairs.

    python quantize.py tuban-change.onnx data/calib            # writes tuban-change.int8.onnx + its card

Weights are quantised per output channel (int8, symmetric), activations per tensor (uint8), their ranges
cut at the 99.999th percentile of what the calibration pairs produce (chosen over min-max by agreement with
the float model on other synthetic pairs). The convolutions and what sits between them are quantised; the
in-graph standardisation, the first convolution, the last (the logits) and the sigmoid stay in float, so the
contract (float pair in [0,1], float probability out) is unchanged. The card is the float model's card with
the file, the version (+int8) and how it was made; `npm run eval -- … --model … --record KEY` adds metrics.
"""

import argparse
import json
import os
import sys

import numpy as np
from PIL import Image
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

QUANTISED_OPS = ["Conv", "Add", "Concat", "Resize", "Relu", "Abs", "Sub"]


def load_pair(folder: str, name: str) -> np.ndarray:
    before = np.asarray(Image.open(os.path.join(folder, "A", name)).convert("RGB"), dtype=np.float32) / 255.0
    after = np.asarray(Image.open(os.path.join(folder, "B", name)).convert("RGB"), dtype=np.float32) / 255.0
    return np.concatenate([before, after], axis=2).transpose(2, 0, 1)[None].copy()


class PairReader(CalibrationDataReader):
    """Feeds the calibration pairs one at a time under the model's input name."""

    def __init__(self, folder: str, input_name: str, limit: int):
        names = sorted(os.listdir(os.path.join(folder, "A")))[:limit]
        if not names:
            raise SystemExit(f"no calibration pairs in {folder}/A (make some with npm run synth)")
        self.batches = iter([{input_name: load_pair(folder, n)} for n in names])

    def get_next(self):
        return next(self.batches, None)


def float_only_nodes(model_path: str) -> list[str]:
    """The input standardisation, the first convolution, the last (the logits) and the sigmoid stay in float."""
    import onnx

    graph = onnx.load(model_path).graph
    convs = [n for n in graph.node if n.op_type == "Conv"]
    keep = []
    for node in graph.node:
        if node is convs[0]:
            break
        keep.append(node.name)
    keep += [convs[0].name, convs[-1].name] + [n.name for n in graph.node if n.op_type == "Sigmoid"]
    return keep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="the float ONNX model (its .card.json beside it)")
    ap.add_argument("calib", help="folder of synthetic pairs in the LEVIR layout (A/, B/)")
    ap.add_argument("--pairs", type=int, default=48, help="calibration pairs to use")
    ap.add_argument("--out", help="output model (default: MODEL with .int8.onnx)")
    args = ap.parse_args()

    out = args.out or args.model.replace(".onnx", ".int8.onnx")
    prepared = out + ".prep.onnx"
    quant_pre_process(args.model, prepared, skip_symbolic_shape=True)
    try:
        import onnx

        input_name = onnx.load(prepared).graph.input[0].name
        quantize_static(
            prepared,
            out,
            PairReader(args.calib, input_name, args.pairs),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            weight_type=QuantType.QInt8,
            activation_type=QuantType.QUInt8,
            calibrate_method=CalibrationMethod.Percentile,
            op_types_to_quantize=QUANTISED_OPS,
            nodes_to_exclude=float_only_nodes(prepared),
            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True},
        )
    finally:
        os.remove(prepared)

    with open(args.model.replace(".onnx", ".card.json"), encoding="utf-8") as f:
        card = json.load(f)
    card["file"] = os.path.basename(out)
    card["version"] = card["version"].split("+")[0] + "+int8"
    card["quantization"] = {
        "from": os.path.basename(args.model),
        "method": "onnxruntime static quantisation, QDQ; weights int8 per channel (symmetric), activations uint8 per tensor (99.999th percentile of the calibration ranges)",
        "calibration": f"{args.pairs} synthetic pairs (npm run synth -- --count {args.pairs} --seed 1234)",
        "quantisedOps": QUANTISED_OPS,
        "floatNodes": "input standardisation, first and last convolution, output sigmoid",
    }
    for measured_on_the_float_model in ("metrics", "previousVersions", "throughput", "parity", "plantedChangesFoundInDemoScenes"):
        card.pop(measured_on_the_float_model, None)
    card_path = out.replace(".onnx", ".card.json")
    with open(card_path, "w", encoding="utf-8") as f:
        json.dump(card, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {out} ({os.path.getsize(out) / 1e6:.2f} MB) and {card_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
