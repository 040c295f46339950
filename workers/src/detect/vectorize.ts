import type { Part } from '@tuban/core/db/detection-runs';
import { TILE_SIZE } from '@tuban/core/geo/tiles';
import { globalPixelToLonLat } from '@tuban/core/geo/web-mercator-pixels';
import { cleanMask, maskComponents, thresholdMask } from '@tuban/core/raster/mask';

export interface TileProbabilities {
  /** Probabilities of the window (tile plus margin), size × size. */
  prob: Float32Array;
  size: number;
  margin: number;
  z: number;
  x: number;
  y: number;
  beforeImageryId: number;
}

/**
 * Change probabilities of one tile window → polygons of the tile itself in lon/lat. Morphology runs on
 * the whole window so the tile's edge pixels see their real neighbours; components are then cut at the
 * tile's edge, where the neighbouring tile continues them with exactly the same edge coordinates, so
 * the merge can union them.
 */
export function tileParts(t: TileProbabilities, threshold: number, minPixels: number): Part[] {
  // Most tiles of a district show no change at all.
  if (!anyAtLeast(t.prob, threshold)) return [];
  const cleaned = cleanMask(thresholdMask(t.prob, t.size, t.size, threshold));
  const mask = { data: new Uint8Array(TILE_SIZE * TILE_SIZE), width: TILE_SIZE, height: TILE_SIZE };
  const scores = new Float32Array(TILE_SIZE * TILE_SIZE);
  for (let row = 0; row < TILE_SIZE; row++) {
    const from = (row + t.margin) * t.size + t.margin;
    mask.data.set(cleaned.data.subarray(from, from + TILE_SIZE), row * TILE_SIZE);
    scores.set(t.prob.subarray(from, from + TILE_SIZE), row * TILE_SIZE);
  }
  const originX = t.x * TILE_SIZE;
  const originY = t.y * TILE_SIZE;
  // A small piece at the tile's edge may be the end of a building that continues next door: keep it.
  return maskComponents(mask, scores, minPixels, true).map((c) => ({
    rings: c.rings.map((ring) => ring.map(([px, py]) => globalPixelToLonLat(originX + px, originY + py, t.z))),
    pixels: c.pixels,
    scoreSum: c.meanScore * c.pixels,
    scoreMax: c.maxScore,
    beforeImageryId: t.beforeImageryId,
  }));
}

function anyAtLeast(values: Float32Array, threshold: number): boolean {
  for (let k = 0; k < values.length; k++) if (values[k]! >= threshold) return true;
  return false;
}
