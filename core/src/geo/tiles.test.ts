import { describe, expect, it } from 'vitest';
import { isValidTile, lonLatToTile, metresPerPixel, tileBounds, zoomForResolution } from './tiles.js';

describe('tile math', () => {
  it('finds the tile of a point in Putuo and that tile contains the point', () => {
    const [lon, lat] = [121.392, 31.2417];
    const tile = lonLatToTile(lon, lat, 18);
    const [w, s, e, n] = tileBounds(tile);
    expect(lon).toBeGreaterThanOrEqual(w);
    expect(lon).toBeLessThan(e);
    expect(lat).toBeGreaterThan(s);
    expect(lat).toBeLessThanOrEqual(n);
  });

  it('matches known tile numbers', () => {
    expect(lonLatToTile(0, 0, 1)).toEqual({ z: 1, x: 1, y: 1 });
    expect(tileBounds({ z: 0, x: 0, y: 0 })[3]).toBeCloseTo(85.0511, 3);
  });

  it('gives about 0.51 m/px at z18 in Shanghai, as the design says', () => {
    expect(metresPerPixel(31.25, 18)).toBeCloseTo(0.511, 2);
    expect(zoomForResolution(0.52, 31.25)).toBe(18);
  });

  it('rejects tiles outside the grid', () => {
    expect(isValidTile({ z: 2, x: 3, y: 3 })).toBe(true);
    expect(isValidTile({ z: 2, x: 4, y: 0 })).toBe(false);
    expect(isValidTile({ z: -1, x: 0, y: 0 })).toBe(false);
    expect(isValidTile({ z: 1.5, x: 0, y: 0 })).toBe(false);
  });
});
