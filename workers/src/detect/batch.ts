import { addRunTimings, batchTiles, findRun, replaceBatchParts, type Part } from '@tuban/core/db/detection-runs';
import { withTransaction, type Pool } from '@tuban/core/db/pool';
import { metresPerPixel, tileBounds } from '@tuban/core/geo/tiles';
import type { ChangeModel } from './model.js';
import { tileParts } from './vectorize.js';
import type { TileReader } from '@tuban/core/imagery-tile-reader';
import { TileCache, readWindow } from './windows.js';

export interface DetectDeps {
  db: Pool;
  readTile: TileReader;
  model: ChangeModel;
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
  const plane = size * size;

  let t0 = performance.now();
  const cache = new TileCache(deps.readTile);
  const input = new Float32Array(tiles.length * 6 * plane);
  const valid: Uint8Array[] = [];
  for (const [i, tile] of tiles.entries()) {
    const before = await readWindow(cache, tile.beforeImageryId, run.zoom, tile.x, tile.y, run.marginPx);
    const after = await readWindow(cache, run.afterImageryId, run.zoom, tile.x, tile.y, run.marginPx);
    input.set(before.planes, i * 6 * plane);
    input.set(after.planes, i * 6 * plane + 3 * plane);
    valid.push(before.valid.map((v, k) => v & after.valid[k]!));
  }
  const readSeconds = seconds(t0);

  t0 = performance.now();
  const prob = tiles.length ? await deps.model.predict(input, tiles.length, size) : new Float32Array();
  const inferSeconds = seconds(t0);

  t0 = performance.now();
  const parts: Part[] = [];
  for (const [i, tile] of tiles.entries()) {
    const p = prob.subarray(i * plane, (i + 1) * plane);
    for (let k = 0; k < plane; k++) if (!valid[i]![k]) p[k] = 0;
    const [, south, , north] = tileBounds({ z: run.zoom, x: tile.x, y: tile.y });
    const mpp = metresPerPixel((south + north) / 2, run.zoom);
    // The lower (villa) floor here; the merge applies the right one per place after the union.
    const minPixels = Math.max(1, Math.floor(Math.min(run.minAreaM2, run.villaMinAreaM2) / (mpp * mpp)));
    parts.push(...tileParts({ prob: p, size, margin: run.marginPx, z: run.zoom, x: tile.x, y: tile.y, beforeImageryId: tile.beforeImageryId }, run.threshold, minPixels));
  }
  const vectoriseSeconds = seconds(t0);

  await withTransaction(deps.db, async (client) => {
    await replaceBatchParts(client, runId, batchNo, parts);
    await addRunTimings(client, runId, { read: readSeconds, infer: inferSeconds, vectorise: vectoriseSeconds });
  });
  return { tiles: tiles.length, parts: parts.length };
}
