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
import type { ModelInfo } from '../change/change-model.js';

export type { ModelInfo };

export interface RunOptions {
  threshold?: number;
  minAreaM2?: number;
  villaMinAreaM2?: number;
  batchSize?: number;
  marginPx?: number;
  /** co-register each before window onto its after window (default true; see docs/detection.md) */
  coregister?: boolean;
}

export const RUN_DEFAULTS = { minAreaM2: 10, villaMinAreaM2: 4, batchSize: 16, marginPx: 32, coregister: true };
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
  if (imagery.status !== 'ready') {
    throw new Conflict(`imagery ${afterImageryId} is ${imagery.status}, not ready`, {
      code: 'imagery_not_ready', params: { imageryId: afterImageryId, status: imagery.status },
    });
  }
  if (!imagery.bbox || !imagery.capturedAt) {
    throw new Invalid(`imagery ${afterImageryId} has no footprint or capture time`, { code: 'imagery_unplaced', params: { imageryId: afterImageryId } });
  }
  if (imagery.outsideDistrictM !== null) {
    const distanceKm = Math.round(imagery.outsideDistrictM / 100) / 10;
    throw new Conflict(`imagery ${afterImageryId} lies ${distanceKm} km outside the district; an admin must accept it before detection`, {
      code: 'imagery_outside_district', params: { imageryId: afterImageryId, distanceKm },
    });
  }
  const existing = await findRunFor(db, afterImageryId, model.version);
  if (existing) return { run: existing, created: false };

  const [west, south, east, north] = imagery.bbox;
  const zoom = detectionZoom(model, imagery.gsdM, (south + north) / 2);
  if (zoom === null) {
    throw new Invalid(outOfRangeMessage(afterImageryId, imagery.gsdM, model, (south + north) / 2), {
      code: 'detection_gsd_out_of_range',
      params: { imageryId: afterImageryId, gsd: imagery.gsdM === null ? '?' : imagery.gsdM.toFixed(2), min: model.gsdRange[0], max: model.gsdRange[1] },
    });
  }
  const nw = lonLatToTile(west, north, zoom);
  const se = lonLatToTile(east, south, zoom);
  const count = (se.x - nw.x + 1) * (se.y - nw.y + 1);
  if (count > MAX_TILES) {
    throw new Invalid(`imagery ${afterImageryId} spans ${count} tiles at z${zoom}; the limit is ${MAX_TILES}`, {
      code: 'detection_run_too_large', params: { imageryId: afterImageryId, tiles: count, zoom, limit: MAX_TILES },
    });
  }
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
      coregister: options.coregister ?? RUN_DEFAULTS.coregister,
      createdBy,
    });
    await planRunTiles(client, r.id, tiles);
    await finishRunWithoutBatches(client, r.id);
    return r;
  });
  return { run: (await findRun(db, run.id))!, created: true };
}

// Imagery coarser than the model's resolution is enlarged at most this much to reach a zoom the model works at.
const MAX_ENLARGEMENT = 2;

/**
 * The zoom to detect at: inside the model's GSD range, as close as possible to the imagery's own resolution
 * (or the model's, for finer imagery, which is reduced), enlarging coarser imagery at most 2×; null when no
 * zoom qualifies. Drone imagery at 0.03 m/px and 0.5 m satellite scenes both go to z18 in Shanghai.
 */
export function detectionZoom(model: Pick<ModelInfo, 'metresPerPixel' | 'gsdRange'>, imageryMpp: number | null, lat: number): number | null {
  const target = Math.max(imageryMpp ?? 0, model.metresPerPixel);
  const [min, max] = model.gsdRange;
  let best: number | null = null;
  let bestOff = Infinity;
  for (let z = 1; z <= 22; z++) {
    const mpp = metresPerPixel(lat, z);
    if (mpp < min || mpp > max || (imageryMpp !== null && imageryMpp / mpp > MAX_ENLARGEMENT)) continue;
    const off = Math.abs(Math.log(mpp / target));
    if (off < bestOff) [best, bestOff] = [z, off];
  }
  return best;
}

function outOfRangeMessage(imageryId: number, gsd: number | null, model: ModelInfo, lat: number): string {
  const [min, max] = model.gsdRange;
  const zooms = Array.from({ length: 22 }, (_, i) => metresPerPixel(lat, i + 1)).filter((m) => m >= min && m <= max);
  const limit = zooms.length ? ` and enlarges imagery at most ${MAX_ENLARGEMENT}×, so it takes imagery up to ${(Math.max(...zooms) * MAX_ENLARGEMENT).toFixed(2)} m/px here` : '';
  return `imagery ${imageryId} has ${gsd === null ? 'no known' : gsd.toFixed(2)} m/px; the change model ${model.name} ${model.version} detects at ${min}–${max} m/px${limit}`;
}
