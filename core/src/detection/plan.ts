import { Conflict, Invalid, NotFound } from '../errors.js';
import {
  findRun,
  findRunFor,
  finishRunWithoutBatches,
  imageryForPlanning,
  insertRun,
  planRunTiles,
  type RunRow,
} from '../db/detection-runs.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { lonLatToTile, metresPerPixel } from '../geo/tiles.js';

/** What planning needs to know of the model: from its model card. */
export interface ModelInfo {
  name: string;
  version: string;
  threshold: number;
  metresPerPixel: number;
}

export interface RunOptions {
  threshold?: number;
  minAreaM2?: number;
  villaMinAreaM2?: number;
  batchSize?: number;
  marginPx?: number;
}

export const RUN_DEFAULTS = { minAreaM2: 10, villaMinAreaM2: 4, batchSize: 16, marginPx: 32 };
// A run over more tiles than this is refused: about three times the whole city of Shanghai at z18.
const MAX_TILES = 1_200_000;

/**
 * Plans a detection run for newly ready imagery: the zoom whose pixels match the model's ground
 * resolution, every tile of the imagery's footprint, and each tile's baseline. Planning the same
 * imagery with the same model again returns the existing run.
 */
export async function planDetectionRun(
  db: Pool,
  afterImageryId: number,
  model: ModelInfo,
  createdBy: number,
  options: RunOptions = {},
): Promise<{ run: RunRow; created: boolean }> {
  const imagery = await imageryForPlanning(db, afterImageryId);
  if (!imagery) throw new NotFound(`no imagery ${afterImageryId}`);
  if (imagery.status !== 'ready') throw new Conflict(`imagery ${afterImageryId} is ${imagery.status}, not ready`);
  if (!imagery.bbox || !imagery.capturedAt) throw new Invalid(`imagery ${afterImageryId} has no footprint or capture time`);
  const existing = await findRunFor(db, afterImageryId, model.version);
  if (existing) return { run: existing, created: false };

  const [west, south, east, north] = imagery.bbox;
  const zoom = nearestZoom(model.metresPerPixel, (south + north) / 2);
  const nw = lonLatToTile(west, north, zoom);
  const se = lonLatToTile(east, south, zoom);
  const count = (se.x - nw.x + 1) * (se.y - nw.y + 1);
  if (count > MAX_TILES) throw new Invalid(`imagery ${afterImageryId} spans ${count} tiles at z${zoom}; the limit is ${MAX_TILES}`);
  const tiles: { x: number; y: number }[] = [];
  for (let y = nw.y; y <= se.y; y++) for (let x = nw.x; x <= se.x; x++) tiles.push({ x, y });

  const run = await withTransaction(db, async (client) => {
    const r = await insertRun(client, {
      afterImageryId,
      modelName: model.name,
      modelVersion: model.version,
      threshold: options.threshold ?? model.threshold,
      minAreaM2: options.minAreaM2 ?? RUN_DEFAULTS.minAreaM2,
      villaMinAreaM2: options.villaMinAreaM2 ?? RUN_DEFAULTS.villaMinAreaM2,
      zoom,
      batchSize: options.batchSize ?? RUN_DEFAULTS.batchSize,
      marginPx: options.marginPx ?? RUN_DEFAULTS.marginPx,
      createdBy,
    });
    await planRunTiles(client, r.id, tiles);
    await finishRunWithoutBatches(client, r.id);
    return r;
  });
  return { run: (await findRun(db, run.id))!, created: true };
}

/** The zoom whose ground resolution is closest to the model's (z18 for 0.5 m/px in Shanghai). */
export function nearestZoom(targetMetresPerPixel: number, lat: number): number {
  let best = 0;
  for (let z = 1; z <= 22; z++) {
    const off = (zz: number) => Math.abs(Math.log(metresPerPixel(lat, zz) / targetMetresPerPixel));
    if (off(z) < off(best)) best = z;
  }
  return best;
}
