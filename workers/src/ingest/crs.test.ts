import { describe, expect, it } from 'vitest';
import { crsFromGeoKeys } from './crs.js';

describe('CRS from GeoKeys', () => {
  it('reads projected and geographic keys', () => {
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 3857 }).code).toBe('EPSG:3857');
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4490 }).geographic).toBe(true);
  });

  it('names an unsupported code', () => {
    expect(() => crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 2154 })).toThrow('unsupported CRS EPSG:2154');
    expect(() => crsFromGeoKeys(null)).toThrow(/no georeference/);
  });
});
