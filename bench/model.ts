// Usage: npx tsx bench/model.ts [--rounds N]
// Change-model inference on this CPU, through the product's runner (the model on its inference thread):
// 256×256 pairs per second at 1 and 2 intra-op threads for the FP32 model and its INT8 variant, the GFLOP/s
// that implies for FP32 (model FLOPs from the card, counted with PyTorch's FLOP counter) as a fraction of the
// machine's FP32 peak (NOTES.md: ~212 GFLOP/s on one core, ~363 on two), and the classical baseline measured
// in the same run as the reference.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CvaBaseline } from '@tuban/core/change/baseline';
import type { ChangeModel } from '@tuban/core/change/change-model';
import { DEFAULT_MODEL_PATH, readModelCard } from '@tuban/core/change/model-card';
import { loadOnnxChangeModel } from '@tuban/core/change/onnx-runner';
import { generatePair } from '@tuban/data/synth/generate';
import { median } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);
const PEAK = { 1: 212, 2: 363 } as const;
const SIZE = 256;
const INT8_PATH = DEFAULT_MODEL_PATH.replace(/\.onnx$/, '.int8.onnx');

const card = await readModelCard(DEFAULT_MODEL_PATH);
const gflop = card.gflopPer256Pair as number;
const pairs = Array.from({ length: 8 }, (_, i) => generatePair({ seed: 1000 + i, size: SIZE }));
const plane = SIZE * SIZE;

function tensorFor(batch: number): Float32Array {
  const input = new Float32Array(batch * 6 * plane);
  for (let t = 0; t < batch; t++) {
    const p = pairs[t % pairs.length]!;
    for (let i = 0; i < plane; i++)
      for (let c = 0; c < 3; c++) {
        input[t * 6 * plane + c * plane + i] = p.before[i * 3 + c]! / 255;
        input[t * 6 * plane + (c + 3) * plane + i] = p.after[i * 3 + c]! / 255;
      }
  }
  return input;
}

const round = (v: number): number => Math.round(v * 100) / 100;

/** Pairs per second of `model` on batches of `batch`; each run sends a copy (predict takes its input over). */
async function pairsPerSecond(model: ChangeModel, batch: number): Promise<number> {
  const input = tensorFor(batch);
  const run = () => model.predict(input.slice(), batch, SIZE);
  await run();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await run();
    rates.push((batch * 1000) / (performance.now() - t0));
  }
  return median(rates);
}

const rows: Record<string, unknown>[] = [];
const baselineRate = await pairsPerSecond(new CvaBaseline(), 8);
rows.push({ detector: 'baseline (CVA + Otsu)', threads: 1, batch: 8, pairsPerS: round(baselineRate), vsBaseline: 1 });

const variants = [{ label: `${card.name} ${card.version} FP32`, path: DEFAULT_MODEL_PATH }];
if (existsSync(INT8_PATH)) variants.push({ label: `${card.name} ${card.version} INT8`, path: INT8_PATH });
for (const threads of [1, 2] as const) {
  for (const batch of [1, 4]) {
    let fp32Rate = 0;
    // FP32 and INT8 back to back, so that both see the same load on the machine.
    for (const { label, path } of variants) {
      const model = await loadOnnxChangeModel(path, threads);
      const rate = await pairsPerSecond(model, batch);
      if (path === DEFAULT_MODEL_PATH) fp32Rate = rate;
      const achieved = rate * gflop;
      rows.push({
        detector: label,
        threads,
        batch,
        pairsPerS: round(rate),
        vsBaseline: round(rate / baselineRate),
        vsFp32: round(rate / fp32Rate),
        ofFp32Peak: path === DEFAULT_MODEL_PATH ? `${Math.round((achieved / PEAK[threads]) * 100)} %` : '',
      });
    }
  }
}
console.log(`bench/model: ${gflop} GFLOP per ${SIZE}×${SIZE} pair, median of ${rounds} rounds`);
console.table(rows);
process.exit(0);
