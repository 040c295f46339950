import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../geo/gcj02.js';
import { parseCoordinate, toWgs84 } from './coordinates.js';

describe('parseCoordinate', () => {
  it.each([
    ['31.2304,121.4737', [121.4737, 31.2304]],
    ['121.4737,31.2304', [121.4737, 31.2304]],
    ['31.2304, 121.4737', [121.4737, 31.2304]],
    ['31.2304，121.4737', [121.4737, 31.2304]],
    ['31.2304 121.4737', [121.4737, 31.2304]],
    ['31.2304°N, 121.4737°E', [121.4737, 31.2304]],
    ['E121.4737 N31.2304', [121.4737, 31.2304]],
    ['N 31.2304 E 121.4737', [121.4737, 31.2304]],
    ['51.5007,-0.1246', [-0.1246, 51.5007]],
    ['-33.86, 151.21', [151.21, -33.86]],
    ['40.7 W74.0', [-74.0, 40.7]],
  ])('reads %s', (text, expected) => {
    expect(parseCoordinate(text)).toEqual(expected);
  });

  it.each(['PT-2026-000001', '42', '曹杨新村', '31.23', '1,2,3', '91,181', 'N31 N121', '31.2;121.4;5'])('takes %s for no coordinate', (text) => {
    expect(parseCoordinate(text)).toBeNull();
  });
});

describe('toWgs84', () => {
  it('undoes the GCJ-02 offset a Chinese phone map adds, and leaves WGS84 alone', () => {
    const wgs: [number, number] = [121.395, 31.25];
    const back = toWgs84(wgs84ToGcj02(wgs), 'gcj02');
    expect(back[0]).toBeCloseTo(wgs[0], 7);
    expect(back[1]).toBeCloseTo(wgs[1], 7);
    expect(toWgs84(wgs, 'wgs84')).toEqual(wgs);
  });

  it('applies no offset outside China', () => {
    expect(toWgs84([-0.1246, 51.5007], 'gcj02')).toEqual([-0.1246, 51.5007]);
  });
});
