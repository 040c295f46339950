import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { proj4ForEpsg } from './crs.js';

const LONLAT = '+proj=longlat +datum=WGS84 +no_defs';
const SHANGHAI = [121.4, 31.25];

describe('EPSG codes as proj4 definitions', () => {
  it('knows the CGCS2000 Gauss-Krüger zone of Shanghai with and without the zone prefix', () => {
    const withPrefix = proj4(LONLAT, proj4ForEpsg(4528)!.proj4).forward(SHANGHAI);
    const without = proj4(LONLAT, proj4ForEpsg(4549)!.proj4).forward(SHANGHAI);
    expect(withPrefix[0]! - without[0]!).toBeCloseTo(40_000_000, 3);
    expect(withPrefix[1]).toBeCloseTo(without[1]!, 6);
    // 1.4° east of the 120° meridian at 31.25° N is about 133 km east of the false easting.
    expect(without[0]! - 500000).toBeGreaterThan(130_000);
    expect(without[0]! - 500000).toBeLessThan(136_000);
  });

  it('puts 6° zones on their central meridians', () => {
    // EPSG:4501 is zone 23 (135° E) with prefix; EPSG:4507 is the 105° E zone without.
    expect(proj4(LONLAT, proj4ForEpsg(4501)!.proj4).forward([135, 0])[0]).toBeCloseTo(23_500_000, 3);
    expect(proj4(LONLAT, proj4ForEpsg(4507)!.proj4).forward([105, 10])[0]).toBeCloseTo(500_000, 3);
  });

  it('maps UTM north and south and NAD83 UTM', () => {
    expect(proj4(LONLAT, proj4ForEpsg(32651)!.proj4).forward([123, 0])[0]).toBeCloseTo(500000, 3);
    expect(proj4(LONLAT, proj4ForEpsg(32748)!.proj4).forward([105, -0.000001])[1]).toBeCloseTo(10_000_000, -1);
    expect(proj4ForEpsg(26918)!.proj4).toContain('+zone=18');
  });

});
