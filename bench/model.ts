// Usage: npx tsx bench/model.ts [--rounds N]
// Change-model inference with onnxruntime-node on this CPU: 256×256 pairs per second at 1 and 2 intra-op
// threads, the GFLOP/s that implies (model FLOPs from the card, counted with PyTorch's FLOP counter) as a
// fraction of the machine's FP32 peak (NOTES.md: ~212 GFLOP/s on one core, ~363 on two), and the classical
// baseline measured in the same run as the reference.
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { CvaBaseline } from '../core/src/change/baseline.js';
import { DEFAULT_MODEL_PATH, readModelCard, runRaw } from '../core/src/change/onnx-model.js';
import { generatePair } from '../data/src/synth/generate.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);
const PEAK = { 1: 212, 2: 363 } as const;
const SIZE = 256;

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

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (v: number): number => Math.round(v * 100) / 100;

async function pairsPerSecond(run: () => Promise<unknown>, perRun: number): Promise<number> {
  await run();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await run();
    rates.push((perRun * 1000) / (performance.now() - t0));
  }
  return median(rates);
}

const rows: Record<string, unknown>[] = [];
const baseline = new CvaBaseline();
const basePairs = pairs.map((p) => ({ width: SIZE, height: SIZE, before: p.before, after: p.after }));
const baselineRate = await pairsPerSecond(() => baseline.detect(basePairs), basePairs.length);
rows.push({ detector: 'baseline (CVA + Otsu)', threads: 1, batch: 8, pairsPerS: round(baselineRate), vsBaseline: 1 });

for (const threads of [1, 2] as const) {
  const session = await ort.InferenceSession.create(DEFAULT_MODEL_PATH, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  for (const batch of [1, 4]) {
    const input = tensorFor(batch);
    const rate = await pairsPerSecond(() => runRaw(session, input, [batch, 6, SIZE, SIZE]), batch);
    const achieved = rate * gflop;
    rows.push({
      detector: `${card.name} ${card.version}`,
      threads,
      batch,
      pairsPerS: round(rate),
      vsBaseline: round(rate / baselineRate),
      gflopPerS: round(achieved),
      ofPeak: `${Math.round((achieved / PEAK[threads]) * 100)} %`,
    });
  }
  await session.release();
}
console.log(`bench/model: ${gflop} GFLOP per ${SIZE}×${SIZE} pair, median of ${rounds} rounds`);
console.table(rows);
