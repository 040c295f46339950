import { addRunTimings, batchTiles, findRun, replaceBatchParts, type BatchTile, type Part, type RunRow } from '@tuban/core/db/detection-runs';
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
}

// Tiles per inference call. Small chunks let reading the next chunk and vectorising the last one run on
// the main thread while onnxruntime infers on its own thread.
export const CHUNK = 4;

interface Built {
  tiles: BatchTile[];
  input: Float32Array;
  valid: Uint8Array[];
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/**
 * One batch of a run: read before/after windows (tile plus margin), infer, vectorise, and store the
 * parts. Re-running a batch replaces its parts, so a killed worker's retry changes nothing.
 */
export async function detectBatch(deps: DetectDeps, runId: number, batchNo: number): Promise<{ tiles: number; parts: number }> {
  const run = await findRun(deps.db, runId);
  if (!run) throw new Error(`no detection run ${runId}`);
  const tiles = await batchTiles(deps.db, runId, batchNo);
  const size = 256 + 2 * run.marginPx;
  const timings = { read: 0, infer: 0, vectorise: 0 };
  const parts: Part[] = [];

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
    const built = await buildChunk(deps.tiles, run, tiles.slice(i, i + CHUNK), size);
    timings.read += seconds(t0);
    t0 = performance.now();
    const next = { built, prob: deps.model.predict(built.input, built.tiles.length, size), started: t0 };
    if (pending) await finish(pending);
    pending = next;
  }
  if (pending) await finish(pending);

  await withTransaction(deps.db, async (client) => {
    await replaceBatchParts(client, runId, batchNo, parts);
    await addRunTimings(client, runId, timings);
  });
  return { tiles: tiles.length, parts: parts.length };
}

async function buildChunk(cache: TileCache, run: RunRow, tiles: BatchTile[], size: number): Promise<Built> {
  const plane = size * size;
  const input = new Float32Array(tiles.length * 6 * plane);
  const windows = await Promise.all(
    tiles.map((tile, i) => {
      const at = (k: number) => input.subarray((i * 6 + k) * plane, (i * 6 + k + 3) * plane);
      return Promise.all([
        readWindow(cache, tile.beforeImageryId, run.zoom, tile.x, tile.y, run.marginPx, at(0)),
        readWindow(cache, run.afterImageryId, run.zoom, tile.x, tile.y, run.marginPx, at(3)),
      ]);
    }),
  );
  const valid = windows.map(([before, after]) => {
    for (let k = 0; k < plane; k++) before.valid[k]! &= after.valid[k]!;
    return before.valid;
  });
  return { tiles, input, valid };
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
