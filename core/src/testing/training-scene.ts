// A small decided district for the learning tests: two dates of textured ground over a grid of z18 tiles, the
// after date with bright roofs where buildings appeared, a detection run over it and candidates decided by the
// office as the test says.
import { join } from 'node:path';
import sharp from 'sharp';
import type { CandidateStatus, DismissReason } from '../domain.js';
import type { Queryable } from '../db/pool.js';
import { TILE_SIZE, lonLatToTile, tileBounds } from '../geo/tiles.js';
import { globalPixelToLonLat } from '../geo/web-mercator-pixels.js';
import { imageryItem, LocalTileStore, type TileStore } from '../tiles/tile-store.js';
import {
  insertTestCandidate,
  insertTestCandidateEvent,
  insertTestDetectionRun,
  insertTestDetectionTiles,
  insertTestImagery,
  insertTestUser,
} from './fixtures.js';

export const SCENE_ZOOM = 18;
const GRID = 6;
const origin = lonLatToTile(121.39, 31.255, SCENE_ZOOM);

/** A spot in tile (tx, ty) of the grid, decided as given ('new': not decided). */
export type Spot = [tx: number, ty: number, status: CandidateStatus, reason?: DismissReason];

export interface TrainingScene {
  officeId: number;
  beforeId: number;
  afterId: number;
  runId: number;
  /** each candidate's building in global pixels at SCENE_ZOOM: [x0, y0, x1, y1] */
  rectOf: Map<number, [number, number, number, number]>;
  /** adds a candidate decided as the spot says; returns its id */
  decide(spot: Spot): Promise<number>;
}

/** A 40×30 px building (about 20 × 15 m) in tile (tx, ty) of the grid, in global pixels and as a polygon. */
function building(tx: number, ty: number): { px: [number, number, number, number]; geom: GeoJSON.Polygon } {
  const x0 = (origin.x + tx) * TILE_SIZE + 100, y0 = (origin.y + ty) * TILE_SIZE + 110;
  const c = (x: number, y: number) => globalPixelToLonLat(x, y, SCENE_ZOOM);
  return {
    px: [x0, y0, x0 + 40, y0 + 30],
    geom: { type: 'Polygon', coordinates: [[c(x0, y0), c(x0 + 40, y0), c(x0 + 40, y0 + 30), c(x0, y0 + 30), c(x0, y0)]] },
  };
}

async function writePyramid(store: TileStore, imageryId: number, roofs: [number, number, number, number][]): Promise<void> {
  const writer = await store.begin(imageryItem(imageryId), 'png');
  for (let ty = 0; ty < GRID; ty++)
    for (let tx = 0; tx < GRID; tx++) {
      const px = Buffer.alloc(TILE_SIZE * TILE_SIZE * 3);
      for (let y = 0; y < TILE_SIZE; y++)
        for (let x = 0; x < TILE_SIZE; x++) {
          const gx = (origin.x + tx) * TILE_SIZE + x, gy = (origin.y + ty) * TILE_SIZE + y;
          const roof = roofs.some(([a, b, c, d]) => gx >= a && gx < c && gy >= b && gy < d);
          const o = (y * TILE_SIZE + x) * 3;
          px[o] = roof ? 230 : 70 + ((gx * 7 + gy * 13) % 40);
          px[o + 1] = roof ? 225 : 90 + ((gx * 3 + gy * 5) % 30);
          px[o + 2] = roof ? 235 : 60 + ((gx + gy * 11) % 35);
        }
      await writer.put({ z: SCENE_ZOOM, x: origin.x + tx, y: origin.y + ty }, await sharp(px, { raw: { width: TILE_SIZE, height: TILE_SIZE, channels: 3 } }).png().toBuffer());
    }
  await writer.publish();
}

/**
 * The scene with its tiles under `dataDir`/tiles, or in the tile store given; `spots` are decided at once (by
 * `officeId`, or a new office user), and every spot not dismissed shows a roof in the after image.
 */
export async function buildTrainingScene(db: Queryable, tileStore: string | TileStore, spots: Spot[], officeId?: number): Promise<TrainingScene> {
  officeId ??= await insertTestUser(db, { username: 'scene-office', role: 'office' });
  const [w, , , n] = tileBounds({ z: SCENE_ZOOM, x: origin.x, y: origin.y });
  const [, s, e] = tileBounds({ z: SCENE_ZOOM, x: origin.x + GRID - 1, y: origin.y + GRID - 1 });
  const footprint = [w!, s!, e!, n!] as const;
  const beforeId = await insertTestImagery(db, { uploadedBy: officeId, status: 'ready', tileFormat: 'png', capturedAt: '2025-01-01T00:00:00Z', footprint });
  const afterId = await insertTestImagery(db, { uploadedBy: officeId, status: 'ready', tileFormat: 'png', capturedAt: '2026-06-01T00:00:00Z', footprint });
  const store = typeof tileStore === 'string' ? new LocalTileStore(join(tileStore, 'tiles')) : tileStore;
  await writePyramid(store, beforeId, []);
  await writePyramid(store, afterId, spots.filter(([, , st]) => st !== 'dismissed').map(([x, y]) => building(x, y).px));
  const runId = await insertTestDetectionRun(db, { createdBy: officeId, afterImageryId: afterId, zoom: SCENE_ZOOM, status: 'done' });
  const tiles = [];
  for (let ty = 0; ty < GRID; ty++) for (let tx = 0; tx < GRID; tx++) tiles.push({ x: origin.x + tx, y: origin.y + ty, beforeImageryId: beforeId });
  await insertTestDetectionTiles(db, runId, tiles);
  const rectOf = new Map<number, [number, number, number, number]>();
  const decide = async ([tx, ty, status, dismissReason]: Spot): Promise<number> => {
    const b = building(tx, ty);
    const id = await insertTestCandidate(db, { runId, geom: b.geom, status, dismissReason, beforeImageryId: beforeId, afterImageryId: afterId });
    rectOf.set(id, b.px);
    if (status !== 'new') await insertTestCandidateEvent(db, { candidateId: id, actorId: officeId!, fromStatus: 'new', toStatus: status, at: '2026-11-02T03:00:00Z' });
    return id;
  };
  for (const spot of spots) await decide(spot);
  return { officeId, beforeId, afterId, runId, rectOf, decide };
}
