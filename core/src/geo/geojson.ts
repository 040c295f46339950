import type { LonLat } from './gcj02.js';

type Position = number[];

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint' | 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString' | 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry[] };

type Nested = Position | Nested[];

function mapNested(value: Nested, fn: (p: LonLat) => LonLat): Nested {
  if (typeof value[0] === 'number') {
    const p = value as Position;
    // keep any third value (height) untouched
    return [...fn([p[0]!, p[1]!]), ...p.slice(2)];
  }
  return (value as Nested[]).map((v) => mapNested(v, fn));
}

/** Returns a copy of the geometry with fn applied to every [lon, lat] position. */
export function mapGeometryCoords<G extends Geometry>(geom: G, fn: (p: LonLat) => LonLat): G {
  if (geom.type === 'GeometryCollection') {
    return { ...geom, geometries: geom.geometries.map((g) => mapGeometryCoords(g, fn)) };
  }
  return { ...geom, coordinates: mapNested(geom.coordinates as Nested, fn) } as G;
}
