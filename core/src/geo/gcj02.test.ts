import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, isInsideChina, wgs84ToGcj02 } from './gcj02.js';
import { mapGeometryCoords } from './geojson.js';

const PUTUO_POINTS: [number, number][] = [
  [121.395, 31.25],
  [121.34, 31.29],
  [121.445, 31.225],
];

describe('GCJ-02', () => {
  it('shifts Putuo about 440 m east and 205 m south', () => {
    const [lon, lat] = wgs84ToGcj02([121.395, 31.25]);
    expect(lon - 121.395).toBeCloseTo(0.0046, 3);
    expect(lat - 31.25).toBeCloseTo(-0.0019, 3);
    const eastM = (lon - 121.395) * 111_320 * Math.cos((31.25 * Math.PI) / 180);
    const southM = (31.25 - lat) * 110_950;
    expect(eastM).toBeGreaterThan(400);
    expect(eastM).toBeLessThan(480);
    expect(southM).toBeGreaterThan(180);
    expect(southM).toBeLessThan(240);
  });

  it('round-trips to within 1e-6 degrees', () => {
    for (const p of PUTUO_POINTS) {
      const back = gcj02ToWgs84(wgs84ToGcj02(p));
      expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-6);
      expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-6);
    }
  });

  it('inverts more tightly than the one-step approximation', () => {
    const p: [number, number] = [121.395, 31.25];
    const g = wgs84ToGcj02(p);
    const back = gcj02ToWgs84(g);
    expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-7);
    expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-7);
  });

  it('leaves points outside China unchanged', () => {
    for (const p of [[2.35, 48.85], [139.7, 35.68], [-74, 40.7]] as [number, number][]) {
      expect(isInsideChina(p)).toBe(false);
      expect(wgs84ToGcj02(p)).toEqual(p);
      expect(gcj02ToWgs84(p)).toEqual(p);
    }
    expect(isInsideChina([121.4, 31.25])).toBe(true);
  });
});

describe('mapGeometryCoords', () => {
  it('maps every position of nested geometries and keeps heights', () => {
    const shift = ([x, y]: [number, number]): [number, number] => [x + 1, y - 1];
    const poly = { type: 'MultiPolygon' as const, coordinates: [[[[0, 0, 5], [1, 0], [1, 1], [0, 0, 5]]]] };
    expect(mapGeometryCoords(poly, shift).coordinates).toEqual([[[[1, -1, 5], [2, -1], [2, 0], [1, -1, 5]]]]);
    expect(poly.coordinates[0]![0]![1]).toEqual([1, 0]);
    const gc = { type: 'GeometryCollection' as const, geometries: [{ type: 'Point' as const, coordinates: [3, 3] }] };
    expect(mapGeometryCoords(gc, shift)).toEqual({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [4, 2] }] });
  });
});
