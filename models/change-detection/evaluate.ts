// Usage: npm run eval -- <dir> [--json] [--threshold T] [--model FILE] [--threads N] [--limit N] [--mpp M] [--coregister on|off|compare]
//        npm run eval -- --unlabelled BEFORE AFTER --mpp M [--json] [--coregister on|off|compare]
// Scores the committed ONNX model (through onnxruntime-node, exactly what ships) and the classical baseline on
// the pairs in <dir>/{A,B,label}/*.png (any size; large images are tiled). With --unlabelled, two co-registered
// images with no change in them: it counts the change blobs each detector reports per km² (false alarms).
// --record KEY also stores the result under metrics.KEY in the model's card (how the card's numbers are made).
// --mpp M with <dir>: the pairs' ground sample distance; both detectors then see them resampled to the model's
// metres per pixel, as the product's ingest resamples coarser imagery into the detection zoom's tiles, and
// their probabilities are averaged back onto the label's pixels before scoring.
// --coregister: each window pair is co-registered before the detectors see it, as the detection worker does
// (`on`, the default), or not (`off`); `compare` scores the model both ways in the same run (key
// modelWithoutCoregistration) and reports the windows' shifts. --min-shift PX: the shortest shift applied (default 2).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { CvaBaseline } from '@tuban/core/change/baseline';
import type { ChangeModel } from '@tuban/core/change/change-model';
import { Coregistration, summariseShifts, type WindowShift } from '@tuban/core/change/coregister';
import { predictPair, type ImagePair } from '@tuban/core/change/image-pair';
import { ScoreAccumulator, type Scores } from '@tuban/core/change/metrics';
import { DEFAULT_MODEL_PATH } from '@tuban/core/change/model-card';
import { loadOnnxChangeModel } from '@tuban/core/change/onnx-runner';
import { RUN_DEFAULTS } from '@tuban/core/detection/plan';
import { cleanMask, dropSmall, labelComponents, thresholdMask } from '@tuban/core/raster/mask';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    threshold: { type: 'string' },
    model: { type: 'string', default: DEFAULT_MODEL_PATH },
    threads: { type: 'string', default: '1' },
    limit: { type: 'string' },
    unlabelled: { type: 'boolean', default: false },
    mpp: { type: 'string' },
    record: { type: 'string' },
    coregister: { type: 'string', default: 'on' },
    'min-shift': { type: 'string' },
  },
});

async function record(result: unknown, source: string): Promise<void> {
  if (!values.record) return;
  const cardPath = values.model.replace(/\.onnx$/, '.card.json');
  const card = JSON.parse(await readFile(cardPath, 'utf8')) as { metrics?: Record<string, unknown> };
  card.metrics = { ...card.metrics, [values.record]: { source, threshold, measuredAt: new Date().toISOString().slice(0, 10), ...(result as object) } };
  await writeFile(cardPath, JSON.stringify(card, null, 2) + '\n');
}

function fail(message: string): never {
  console.error(`eval: ${message}`);
  process.exit(1);
}

/** The first three bands as 8-bit RGB (a fourth band, alpha or near-infrared, is dropped). */
async function readRgb(path: string, size?: { width: number; height: number }): Promise<{ data: Uint8Array; width: number; height: number }> {
  let img = sharp(path);
  if (size) img = img.extract({ left: 0, top: 0, ...size });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.channels < 3) fail(`${path}: expected an RGB image, got ${info.channels} channel(s)`);
  const n = info.width * info.height;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * info.channels + c]!;
  return { data: rgb, width: info.width, height: info.height };
}

async function readMask(path: string): Promise<Uint8Array> {
  const { data } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  return Uint8Array.from(data, (v) => (v > 127 ? 1 : 0));
}

const model = await loadOnnxChangeModel(values.model!, Number(values.threads)).catch((err: Error) => fail(err.message));
const baseline = new CvaBaseline({ metresPerPixel: model.metresPerPixel });
const threshold = values.threshold === undefined ? model.threshold : Number(values.threshold);
if (!(threshold > 0 && threshold < 1)) fail(`--threshold must be between 0 and 1, got ${values.threshold}`);
if (!['on', 'off', 'compare'].includes(values.coregister!)) fail(`--coregister must be on, off or compare, got ${values.coregister}`);
const minShiftPx = values['min-shift'] === undefined ? undefined : Number(values['min-shift']);
if (minShiftPx !== undefined && !(minShiftPx >= 0)) fail(`--min-shift must be a number of pixels ≥ 0, got ${values['min-shift']}`);
const coregistration = values.coregister === 'off' ? undefined : new Coregistration(minShiftPx === undefined ? {} : { minShiftPx });
const shifts: WindowShift[] = [];
type Key = 'model' | 'modelWithoutCoregistration' | 'baseline';
/** What is scored: each detector with the run's co-registration setting, and with `compare` the model without it too. */
const detectors: { key: Key; detector: ChangeModel; coregistration?: Coregistration }[] = [
  { key: 'model', detector: model, coregistration },
  ...(values.coregister === 'compare' ? [{ key: 'modelWithoutCoregistration' as const, detector: model }] : []),
  { key: 'baseline', detector: baseline, coregistration },
];
/** The detector's probabilities; the model's window shifts are kept for the report. */
const predict = (d: (typeof detectors)[number], pair: ImagePair) =>
  predictPair(d.detector, pair, { coregistration: d.coregistration, onShift: d.key === 'model' ? (s) => shifts.push(s) : undefined });

/**
 * A probability map through the product's own mask path (threshold, the worker's clean-up) with blobs under
 * `minAreaM2` dropped: 4 m² (smaller than a car, never a building) for the pixel scores, the detection run's
 * area floor for what the office would see as candidates.
 */
function toMask(detector: ChangeModel, p: Float32Array, width: number, height: number, mpp: number, minAreaM2: number): Uint8Array {
  const cleaned = cleanMask(thresholdMask(p, width, height, detector === model ? threshold : detector.threshold));
  return dropSmall(cleaned, Math.ceil(minAreaM2 / mpp ** 2)).data;
}
const SPECK_M2 = 4;

/** A pair enlarged by `scale`, bilinearly as ingest samples its sources; the pair itself when scale is 1. */
async function resampled(pair: ImagePair, scale: number): Promise<ImagePair> {
  if (scale === 1) return pair;
  const width = Math.round(pair.width * scale);
  const height = Math.round(pair.height * scale);
  const enlarge = async (rgb: Uint8Array) =>
    new Uint8Array(await sharp(rgb, { raw: { width: pair.width, height: pair.height, channels: 3 } }).resize(width, height, { kernel: 'linear' }).raw().toBuffer());
  return { width, height, before: await enlarge(pair.before), after: await enlarge(pair.after) };
}

/** A probability map of an enlarged pair averaged back onto the original pixels (each over its block). */
function shrink(p: Float32Array, width: number, height: number, toWidth: number, toHeight: number): Float32Array {
  const out = new Float32Array(toWidth * toHeight);
  const fx = width / toWidth;
  const fy = height / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const y0 = Math.floor(y * fy), y1 = Math.max(y0 + 1, Math.floor((y + 1) * fy));
    for (let x = 0; x < toWidth; x++) {
      const x0 = Math.floor(x * fx), x1 = Math.max(x0 + 1, Math.floor((x + 1) * fx));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += p[yy * width + xx]!;
      out[y * toWidth + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

if (values.unlabelled) {
  if (positionals.length !== 2) fail('--unlabelled needs exactly two images: BEFORE AFTER');
  const mpp = Number(values.mpp);
  if (!(mpp > 0)) fail('--unlabelled needs --mpp, the ground sample distance of the images in metres');
  // Two dates of one area rarely have exactly the same size; both are cut to the common top-left part.
  const [ma, mb] = await Promise.all(positionals.map((p) => sharp(p).metadata()));
  const common = { width: Math.min(ma!.width!, mb!.width!), height: Math.min(ma!.height!, mb!.height!) };
  const a = await readRgb(positionals[0]!, common);
  const b = await readRgb(positionals[1]!, common);
  const pair: ImagePair = { width: a.width, height: a.height, before: a.data, after: b.data };
  const km2 = (a.width * a.height * mpp * mpp) / 1e6;
  const result: Record<string, unknown> = {};
  for (const d of detectors) {
    const { key, detector } = d;
    const p = await predict(d, pair);
    const mask = toMask(detector, p, a.width, a.height, mpp, RUN_DEFAULTS.minAreaM2);
    const blobs = labelComponents({ data: mask, width: a.width, height: a.height }).count;
    const changed = mask.reduce((s, v) => s + v, 0) / mask.length;
    result[key] = { blobs, perKm2: Math.round((blobs / km2) * 100) / 100, changedShare: Math.round(changed * 10_000) / 10_000 };
  }
  if (coregistration) result.shifts = summariseShifts(shifts);
  await record({ ...result, areaKm2: Math.round(km2 * 100) / 100, metresPerPixel: mpp }, positionals.map((p) => p.split('/').slice(-1)[0]).join(' → '));
  if (values.json) console.log(JSON.stringify(result));
  else console.log(`eval: ${a.width}×${a.height} px = ${km2.toFixed(2)} km²\n`, result);
  process.exit(0);
}

if (positionals.length !== 1) fail('give one folder with A/, B/ and label/ (or --unlabelled BEFORE AFTER)');
const dir = positionals[0]!;
const names = (await readdir(join(dir, 'A')).catch(() => fail(`${dir}/A: no such folder; expected ${dir}/{A,B,label}/*.png`)))
  .filter((n) => n.endsWith('.png'))
  .sort()
  .slice(0, values.limit ? Number(values.limit) : undefined);
if (!names.length) fail(`${dir}/A has no .png files`);
const acc = Object.fromEntries(detectors.map((d) => [d.key, new ScoreAccumulator()])) as Record<Key, ScoreAccumulator>;
const asCandidates = Object.fromEntries(detectors.map((d) => [d.key, new ScoreAccumulator()])) as Record<Key, ScoreAccumulator>;
let areaKm2 = 0;
const started = performance.now();
// Labelled pairs at another ground sample distance are scored as the product would see them (see --mpp).
const inputMpp = values.mpp === undefined ? model.metresPerPixel : Number(values.mpp);
if (!(inputMpp > 0)) fail(`--mpp must be a positive number of metres per pixel, got ${values.mpp}`);
const scale = inputMpp / model.metresPerPixel;
for (const name of names) {
  const a = await readRgb(join(dir, 'A', name));
  const b = await readRgb(join(dir, 'B', name));
  const truth = await readMask(join(dir, 'label', name));
  if (b.width !== a.width || b.height !== a.height || truth.length !== a.width * a.height)
    fail(`${name}: A, B and label must have the same size`);
  const pair = await resampled({ width: a.width, height: a.height, before: a.data, after: b.data }, scale);
  areaKm2 += (a.width * a.height * inputMpp ** 2) / 1e6;
  for (const d of detectors) {
    const { key, detector } = d;
    const p = await predict(d, pair);
    const prob = scale === 1 ? p : shrink(p, pair.width, pair.height, a.width, a.height);
    acc[key].add(toMask(detector, prob, a.width, a.height, inputMpp, SPECK_M2), truth, a.width, a.height);
    asCandidates[key].add(toMask(detector, prob, a.width, a.height, inputMpp, RUN_DEFAULTS.minAreaM2), truth, a.width, a.height);
  }
}

/** The pixel and object scores, and beside them the objects as the office would see them as candidates. */
function report(key: Key): Scores & { candidateObjectPrecision: number; candidateObjectRecall: number; falseAlarmsPerKm2: number } {
  const seen = asCandidates[key].scores();
  return {
    ...acc[key].scores(),
    candidateObjectPrecision: seen.objectPrecision,
    candidateObjectRecall: seen.objectRecall,
    falseAlarmsPerKm2: Math.round((seen.falseAlarms / areaKm2) * 100) / 100,
  };
}
const result = {
  ...Object.fromEntries(detectors.map((d) => [d.key, report(d.key)])),
  areaKm2: Math.round(areaKm2 * 1000) / 1000,
  ...(coregistration ? { shifts: summariseShifts(shifts) } : {}),
};
await record(result, dir.split('/').filter(Boolean).slice(-2).join('/'));
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`eval: ${names.length} pairs from ${dir} in ${Math.round(performance.now() - started)} ms; model ${model.name} ${model.version}, threshold ${threshold}`);
  const { shifts: shiftSummary, areaKm2: _a, ...scores } = result as typeof result & { shifts?: unknown };
  console.table(scores);
  console.log(`area ${result.areaKm2} km²; co-registration ${values.coregister}`, shiftSummary ?? '');
}
