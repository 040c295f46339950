import { describe, expect, it } from 'vitest';
import { tileBounds } from './tiles.js';
import { globalPixelToLonLat, lonLatToGlobalPixel } from './web-mercator-pixels.js';

describe('global pixel coordinates', () => {
  it('puts tile corners where tileBounds says', () => {
    const t = { z: 18, x: 219_880, y: 107_194 };
    const [w, s, e, n] = tileBounds(t);
    expect(globalPixelToLonLat(t.x * 256, t.y * 256, 18)).toEqual([w, n]);
    const [lon, lat] = globalPixelToLonLat((t.x + 1) * 256, (t.y + 1) * 256, 18);
    expect(lon).toBeCloseTo(e, 12);
    expect(lat).toBeCloseTo(s, 12);
  });

  it('round-trips a point in Putuo to far below a millimetre', () => {
    const [px, py] = lonLatToGlobalPixel(121.392, 31.2417, 18);
    const [lon, lat] = globalPixelToLonLat(px, py, 18);
    expect(Math.abs(lon - 121.392)).toBeLessThan(1e-9);
    expect(Math.abs(lat - 31.2417)).toBeLessThan(1e-9);
  });
});
