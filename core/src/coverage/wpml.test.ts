import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { convexHull, footprintM, M3E_CAMERA, planMappingRoute } from './wayline.js';
import { MAX_WAYPOINTS, waylineFiles, waylineKmz } from './wpml.js';

// 200 m east–west by 100 m north–south at Putuo's latitude
const LAT = 31.25;
const M_LON = 111_320 * Math.cos((LAT * Math.PI) / 180);
const rect = (w: number, h: number, lon = 121.4): GeoJSON.MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [[[[lon, LAT], [lon + w / M_LON, LAT], [lon + w / M_LON, LAT + h / 111_320], [lon, LAT + h / 111_320], [lon, LAT]]]],
});
const params = { altitudeM: 100, frontOverlap: 80, sideOverlap: 70, speedMs: 10, marginM: 20 };

describe('mapping route', () => {
  it('spaces passes by the footprint less the side overlap, photos by the footprint less the front overlap', () => {
    const fp = footprintM(M3E_CAMERA, 100);
    expect(fp.widthM).toBeCloseTo(140.76, 1); // 100 m × 17.3 mm / 12.29 mm
    expect(fp.gsdCm).toBeCloseTo(2.67, 2);
    const r = planMappingRoute(rect(200, 100), params);
    expect(r.passSpacingM).toBeCloseTo(42.23, 1);
    expect(r.photoSpacingM).toBeCloseTo(21.16, 1);
    expect(r.directionDeg).toBe(0); // along the longer, east–west side
    expect(r.waypoints).toHaveLength(8); // ceil(100 / 42.23) + 1 = 4 passes
    const east = (i: number) => (r.waypoints[i]![0] - 121.4) * M_LON;
    // serpentine: west→east, east→west, …, each pass 20 m beyond both ends
    expect([east(0), east(1), east(2), east(3)].map(Math.round)).toEqual([-20, 220, 220, -20]);
    const north = r.waypoints.filter((_, i) => i % 2 === 0).map((q) => (q[1] - LAT) * 111_320);
    expect(north[1]! - north[0]!).toBeCloseTo(42.23, 1);
    expect((north[0]! + north[3]!) / 2).toBeCloseTo(50, 1); // centred on the area
    expect(r.distanceM).toBeCloseTo(4 * 240 + 3 * 42.23, 0);
    expect(r.durationS).toBeCloseTo(r.distanceM / 10, 5);
  });

  it('flies over the convex hull of a concave or multi-part area', () => {
    expect(convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1]])).toEqual([[0, 0], [2, 0], [2, 2], [0, 2]]);
    const r = planMappingRoute(rect(50, 300), params);
    expect(r.directionDeg).toBe(90);
    expect(r.outline).toHaveLength(5);
  });
});

describe('DJI WPML KMZ', () => {
  const at = new Date('2026-03-20T04:00:00Z');

  it('holds wpmz/template.kml (one mapping2d template per area) and wpmz/waylines.wpml (one wayline each)', async () => {
    const kmz = await waylineKmz([{ name: '#1 拆除回访 PT-1', geometry: rect(200, 100) }, { name: '#2 <cell>', geometry: rect(100, 100, 121.41) }], params, at, '飞手甲');
    const zip = await JSZip.loadAsync(kmz);
    expect(Object.keys(zip.files).sort()).toEqual(['wpmz/template.kml', 'wpmz/waylines.wpml']);
    const template = await zip.file('wpmz/template.kml')!.async('string');
    const waylines = await zip.file('wpmz/waylines.wpml')!.async('string');
    for (const xml of [template, waylines]) {
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<kml xmlns="http:\/\/www.opengis.net\/kml\/2.2" xmlns:wpml="http:\/\/www.dji.com\/wpmz\/1.0.2">/);
      expect(xml.match(/<wpml:missionConfig>/g)).toHaveLength(1);
      expect(xml).toContain('<wpml:droneEnumValue>77</wpml:droneEnumValue>');
    }
    expect(template.match(/<wpml:templateType>mapping2d<\/wpml:templateType>/g)).toHaveLength(2);
    expect(template).toContain('<wpml:orthoCameraOverlapH>80</wpml:orthoCameraOverlapH>');
    expect(template).toContain('<wpml:orthoCameraOverlapW>70</wpml:orthoCameraOverlapW>');
    expect(template).toContain('<name>#2 &#60;cell&#62;</name>');
    expect(template).toContain(`<wpml:createTime>${at.getTime()}</wpml:createTime>`);
    expect(waylines.match(/<wpml:waylineId>\d<\/wpml:waylineId>/g)).toEqual(['<wpml:waylineId>0</wpml:waylineId>', '<wpml:waylineId>1</wpml:waylineId>']);
    expect(waylines.match(/<wpml:index>/g)).toHaveLength(8 + 8); // a 100 m square needs 4 passes too
    expect(waylines).toContain('<wpml:actionTriggerType>multipleDistance</wpml:actionTriggerType>');
    expect(waylines).toContain('<wpml:actionTriggerParam>21.2</wpml:actionTriggerParam>');
    // same inputs, same bytes
    expect((await waylineKmz([{ name: 'a', geometry: rect(200, 100) }], params, at, 'x')).equals(await waylineKmz([{ name: 'a', geometry: rect(200, 100) }], params, at, 'x'))).toBe(true);
  });

  it('refuses a plan too dense to fly, saying how many waypoints it would take', () => {
    const big = rect(5000, 5000);
    expect(() => waylineFiles([{ name: 'x', geometry: big }], { ...params, altitudeM: 20, sideOverlap: 95 }, at, 'x')).toThrow(
      expect.objectContaining({ code: 'refly_route_too_long', params: expect.objectContaining({ max: MAX_WAYPOINTS }) }),
    );
  });
});
