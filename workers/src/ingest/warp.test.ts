import { describe, expect, it } from 'vitest';
import { proj4ForEpsg } from '@tuban/core/geo/crs';
import type { RasterInfo } from './raster.js';
import { mercatorPixelSize, sourceMapper, tileGrid } from './warp.js';

const HALF = Math.PI * 6378137;

/** Largest distance, in source pixels, between the piecewise-bilinear grid and proj4 at every pixel centre. */
function worstError(epsg: number, transform: RasterInfo['transform'], z: number, tx: number, ty: number): number {
  const r = { crs: proj4ForEpsg(epsg)!, transform } as RasterInfo;
  const map = sourceMapper(r);
  const grid = tileGrid(map, z, tx, ty);
  const res = mercatorPixelSize(z);
  let worst = 0;
  for (let py = 0; py < 256; py += 3) {
    for (let px = 0; px < 256; px += 3) {
      const gx = (px + 0.5) / 16, gy = (py + 0.5) / 16;
      const i = Math.min(15, Math.floor(gx)), j = Math.min(15, Math.floor(gy));
      const fx = gx - i, fy = gy - j;
      const k = (j * 17 + i) * 2;
      const lerp = (o: number) =>
        (1 - fx) * (1 - fy) * grid[k + o]! + fx * (1 - fy) * grid[k + 2 + o]! +
        (1 - fx) * fy * grid[k + 34 + o]! + fx * fy * grid[k + 36 + o]!;
      const [ex, ey] = map(-HALF + (tx * 256 + px + 0.5) * res, HALF - (ty * 256 + py + 0.5) * res);
      worst = Math.max(worst, Math.hypot(lerp(0) - ex, lerp(1) - ey));
    }
  }
  return worst;
}

describe('piecewise warp grid', () => {
  it('stays within 1/100 pixel of proj4 for a 5 cm drone ortho in CGCS2000 GK zone 40 at z21', () => {
    // Top-left near Putuo in EPSG:4549 (false easting 500 km, central meridian 120° E).
    expect(worstError(4549, [632_000, 0.05, 0, 3_460_000, 0, -0.05], 21, 1_756_105, 857_013)).toBeLessThan(0.01);
  });

  it('stays within 1/100 pixel for a 300 m Landsat scene in UTM 18N at z9', () => {
    expect(worstError(32618, [101_985, 300, 0, 2_826_915, 0, -300], 9, 144, 219)).toBeLessThan(0.01);
  });
});
