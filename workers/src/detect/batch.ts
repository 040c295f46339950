import { borrowAgreedShift, Coregistration, windowsToEstimate, type WindowShift } from '@tuban/core/change/coregister';
import { batchTiles, recordTileShifts, replaceBatchParts, type BatchTile, type Part, type RunRow, type TileShift } from '@tuban/core/db/detection-runs';
import { withTransaction, type Pool } from '@tuban/core/db/pool';
import { metresPerPixel, tileBounds } from '@tuban/core/geo/tiles';
import type { ChangeModel } from '@tuban/core/change/change-model';
import { tileParts } from './vectorize.js';
import { TileCache, readWindow } from './windows.js';

export interface DetectDeps {
  db: Pool;
  /** the process's decoded tiles, kept across batches */
  tiles: TileCache;
  model: ChangeModel;
  /** aligns before windows onto after windows in runs that co-register (default: the process's own, default settings) */
  coregistration?: Coregistration;
}

/** The process's co-registration (its scratch buffers are reused window after window on the main thread). */
const processCoregistration = new Coregistration();

// Tiles per inference call. Small chunks let reading the next chunk and vectorising the last one run on
// the main thread while onnxruntime infers on its own thread.
export const CHUNK = 4;

interface Built {
  tiles: BatchTile[];
  input: Float32Array;
  valid: Uint8Array[];
  /** each tile's window shift, when the run co-registers */
  shifts: (WindowShift | null)[];
  /** seconds spent co-registering */
  coregisterSeconds: number;
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/**
 * One batch of a run: read before/after windows (tile plus margin), infer, vectorise, and store the
 * parts. Re-running a batch replaces its parts, so a killed worker's retry changes nothing.
 */
export async function detectBatch(deps: DetectDeps, run: RunRow, batchNo: number): Promise<{ tiles: number; parts: number }> {
  const runId = run.id;
  const tiles = await batchTiles(deps.db, runId, batchNo);
  const size = 256 + 2 * run.marginPx;
  const timings = { read: 0, coregister: 0, infer: 0, vectorise: 0 };
  const parts: Part[] = [];
  const shifts: TileShift[] = [];
  const coregistration = run.coregister ? (deps.coregistration ?? processCoregistration) : null;
  const trustedSoFar: WindowShift[] = [];

  let pending: { built: Built; prob: Promise<Float32Array>; started: number } | null = null;
  const finish = async (p: NonNullable<typeof pending>) => {
    const prob = await p.prob;
    timings.infer += seconds(p.started);
    const t0 = performance.now();
    parts.push(...vectoriseChunk(run, p.built, prob, size));
    timings.vectorise += seconds(t0);
  };
  for (let i = 0; i < tiles.length; i += CHUNK) {
    let t0 = performance.now();
    const built = await buildChunk(deps.model, deps.tiles, run, tiles.slice(i, i + CHUNK), size, coregistration, trustedSoFar);
    timings.read += seconds(t0) - built.coregisterSeconds;
    timings.coregister += built.coregisterSeconds;
    built.shifts.forEach((s, k) => s && shifts.push({ x: built.tiles[k]!.x, y: built.tiles[k]!.y, ...s }));
    t0 = performance.now();
    const next = { built, prob: deps.model.predict(built.input, built.tiles.length, size), started: t0 };
    if (pending) await finish(pending);
    pending = next;
  }
  if (pending) await finish(pending);

  await withTransaction(deps.db, async (client) => {
    await recordTileShifts(client, runId, shifts);
    await replaceBatchParts(client, runId, batchNo, parts, coregistration ? timings : { read: timings.read, infer: timings.infer, vectorise: timings.vectorise });
  });
  return { tiles: tiles.length, parts: parts.length };
}

/**
 * Reads a chunk's windows into one model input. With co-registration, each before window (and its validity) is
 * aligned onto its after window; a window whose estimate is not trusted takes what the batch's windows so far
 * (`earlier`, the trusted estimates, which this adds to) agree on.
 */
async function buildChunk(
  model: ChangeModel,
  cache: TileCache,
  run: RunRow,
  tiles: BatchTile[],
  size: number,
  coregistration: Coregistration | null,
  earlier: WindowShift[],
): Promise<Built> {
  const plane = size * size;
  const length = tiles.length * 6 * plane;
  const input = model.inputBuffer?.(length) ?? new Float32Array(length);
  const windows = await Promise.all(
    tiles.map((tile, i) => {
      const at = (k: number) => input.subarray((i * 6 + k) * plane, (i * 6 + k + 3) * plane);
      return Promise.all([
        readWindow(cache, tile.beforeImageryId, run.zoom, tile.x, tile.y, run.marginPx, at(0)),
        readWindow(cache, run.afterImageryId, run.zoom, tile.x, tile.y, run.marginPx, at(3)),
      ]);
    }),
  );
  const t0 = performance.now();
  let shifts: (WindowShift | null)[] = windows.map(() => null);
  if (coregistration) {
    const estimated = windowsToEstimate(windows.length, earlier);
    const own = windows.map(([before, after], i) =>
      estimated[i] ? coregistration.estimate(before.planes, after.planes, size, before.valid, after.valid) : undefined);
    shifts = borrowAgreedShift(own, earlier, coregistration.options);
    for (const s of own) if (s?.trusted) earlier.push(s);
    shifts.forEach((s, i) => s?.applied && coregistration.resample(windows[i]![0].planes, size, s.dx, s.dy, windows[i]![0].valid));
  }
  const coregisterSeconds = coregistration ? seconds(t0) : 0;
  const valid = windows.map(([before, after]) => {
    for (let k = 0; k < plane; k++) before.valid[k]! &= after.valid[k]!;
    return before.valid;
  });
  return { tiles, input, valid, shifts, coregisterSeconds };
}

function vectoriseChunk(run: RunRow, built: Built, prob: Float32Array, size: number): Part[] {
  const plane = size * size;
  const parts: Part[] = [];
  for (const [i, tile] of built.tiles.entries()) {
    const p = prob.subarray(i * plane, (i + 1) * plane);
    const valid = built.valid[i]!;
    for (let k = 0; k < plane; k++) if (!valid[k]) p[k] = 0;
    const [, south, , north] = tileBounds({ z: run.zoom, x: tile.x, y: tile.y });
    const mpp = metresPerPixel((south + north) / 2, run.zoom);
    // The lower (villa) floor here; the merge applies the right one per place after the union.
    const minPixels = Math.max(1, Math.floor(Math.min(run.minAreaM2, run.villaMinAreaM2) / (mpp * mpp)));
    const t = { prob: p, size, margin: run.marginPx, z: run.zoom, x: tile.x, y: tile.y, beforeImageryId: tile.beforeImageryId };
    parts.push(...tileParts(t, run.threshold, minPixels));
  }
  return parts;
}
