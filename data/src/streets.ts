import { area, featureCollection, intersect, point, polygon, voronoi } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { StreetKind } from '@tuban/core/domain';

export interface StreetDef {
  /** NBS 2023 statistical code */
  code: string;
  name: string;
  kind: StreetKind;
  /** a point roughly where the street really lies; seeds the demo partition */
  seed: [number, number];
}

export const DEMO_BOUNDARY_SOURCE = 'demo-partition';

export const STREETS: readonly StreetDef[] = [
  { code: '310107005', name: '曹杨新村街道', kind: 'subdistrict', seed: [121.401, 31.247] },
  { code: '310107014', name: '长风新村街道', kind: 'subdistrict', seed: [121.392, 31.2295] },
  { code: '310107015', name: '长寿路街道', kind: 'subdistrict', seed: [121.433, 31.235] },
  { code: '310107016', name: '甘泉路街道', kind: 'subdistrict', seed: [121.424, 31.272] },
  { code: '310107017', name: '石泉路街道', kind: 'subdistrict', seed: [121.419, 31.256] },
  { code: '310107020', name: '宜川路街道', kind: 'subdistrict', seed: [121.438, 31.251] },
  { code: '310107021', name: '万里街道', kind: 'subdistrict', seed: [121.397, 31.273] },
  { code: '310107022', name: '真如镇街道', kind: 'subdistrict', seed: [121.374, 31.257] },
  { code: '310107102', name: '长征镇', kind: 'town', seed: [121.352, 31.238] },
  { code: '310107103', name: '桃浦镇', kind: 'town', seed: [121.351, 31.283] },
];

/**
 * A rough, hand-drawn outline of the district, NOT an official boundary: it only puts the demo
 * streets in the right part of Shanghai so the map, the tiles and the imagery line up.
 */
export const DEMO_DISTRICT_OUTLINE: Position[] = [
  [121.335, 31.296],
  [121.365, 31.298],
  [121.39, 31.292],
  [121.405, 31.285],
  [121.42, 31.277],
  [121.438, 31.268],
  [121.447, 31.258],
  [121.445, 31.246],
  [121.44, 31.236],
  [121.432, 31.229],
  [121.42, 31.226],
  [121.405, 31.2225],
  [121.39, 31.224],
  [121.375, 31.2215],
  [121.36, 31.224],
  [121.345, 31.23],
  [121.334, 31.24],
  [121.3325, 31.255],
  [121.338, 31.268],
  [121.3335, 31.282],
  [121.335, 31.296],
];

export interface DemoStreet extends Omit<StreetDef, 'seed'> {
  boundarySource: string;
  geometry: MultiPolygon;
}

export function demoOutline(): Feature<Polygon> {
  return polygon([DEMO_DISTRICT_OUTLINE]);
}

/** Voronoi cells of the street seeds clipped to the demo outline: they tile it without gaps or overlaps. */
export function buildDemoStreets(): DemoStreet[] {
  const outline = demoOutline();
  const seeds = featureCollection(STREETS.map((s) => point(s.seed)));
  const cells = voronoi(seeds, { bbox: [121.3, 31.19, 121.48, 31.33] });
  return STREETS.map((s, i) => {
    const cell = cells.features[i];
    if (!cell) throw new Error(`no Voronoi cell for ${s.name}`);
    const clipped = intersect(featureCollection([cell, outline]));
    if (!clipped || area(clipped) <= 0) throw new Error(`demo cell of ${s.name} misses the outline`);
    const g = clipped.geometry;
    const geometry: MultiPolygon = g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
    return { code: s.code, name: s.name, kind: s.kind, boundarySource: DEMO_BOUNDARY_SOURCE, geometry };
  });
}

export function streetByCode(code: string): StreetDef {
  const s = STREETS.find((x) => x.code === code);
  if (!s) throw new Error(`unknown street code ${code}`);
  return s;
}
