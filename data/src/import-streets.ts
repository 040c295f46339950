import type { Queryable } from '@tuban/core/db/pool';
import { gcj02ToWgs84 } from '@tuban/core/geo/gcj02';
import { mapGeometryCoords } from '@tuban/core/geo/geojson';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { STREETS, type StreetDef } from './streets.js';

export type ImportDatum = 'wgs84' | 'gcj02' | 'cgcs2000';

export interface ImportStreetsOptions {
  /** datum of the input; CGCS2000 is taken as WGS84 (they differ by centimetres) */
  from: ImportDatum;
  /** recorded as streets.boundary_source, e.g. 'putuo-gov-2023' */
  source: string;
}

export interface ImportStreetsReport {
  imported: { code: string; name: string; features: number[] }[];
  /** features that matched no street, by index and the best label found on them */
  unmatched: { index: number; label: string }[];
  /** features that were invalid and repaired with ST_MakeValid */
  repaired: { index: number; label: string; reason: string }[];
  /** our streets that no feature covered; they keep what they had */
  notCovered: { code: string; name: string }[];
}

export class StreetImportError extends Error {}

// Anything outside this box is not Shanghai: most likely projected metres or swapped axes.
const SHANGHAI_BOX = { minLon: 120.8, maxLon: 122.2, minLat: 30.6, maxLat: 31.95 };
// ST_MakeValid is trusted only when it keeps the area: a bow-tie that loses a lobe is an error instead.
const MAX_REPAIR_AREA_CHANGE = 0.01;

const stripSuffix = (name: string): string => name.trim().replace(/(街道办事处|街道|镇)$/, '');
const normalName = (name: string): string => stripSuffix(stripSuffix(name));

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  // 12-digit township codes are the 9-digit ones padded with 000
  const m = /^(\d{9})(000)?$/.exec(String(value).trim());
  return m && STREETS.some((s) => s.code === m[1]) ? m[1] : undefined;
}

function matchStreet(props: Record<string, unknown>): StreetDef | undefined {
  const values = Object.entries(props);
  const adcode = values.find(([k]) => k.toLowerCase() === 'adcode');
  const code = (adcode && codeOf(adcode[1])) ?? values.map(([, v]) => codeOf(v)).find(Boolean);
  if (code) return STREETS.find((s) => s.code === code);
  for (const [, v] of values) {
    if (typeof v !== 'string') continue;
    const exact = STREETS.find((s) => s.name === v.trim());
    if (exact) return exact;
  }
  for (const [, v] of values) {
    if (typeof v !== 'string' || v.trim() === '') continue;
    const loose = STREETS.find((s) => normalName(s.name) === normalName(v));
    if (loose) return loose;
  }
  return undefined;
}

function labelOf(f: Feature, index: number): string {
  const p = (f.properties ?? {}) as Record<string, unknown>;
  const name = ['name', 'NAME', 'Name', 'name_zh', 'adcode', 'code'].map((k) => p[k]).find((v) => v !== undefined);
  return name === undefined ? `feature #${index}` : `feature #${index} (${String(name)})`;
}

/** Accepts a FeatureCollection or a bare array of Features (as DataV serves them). */
export function featuresOf(input: unknown): Feature[] {
  const list = Array.isArray(input)
    ? input
    : input && typeof input === 'object' && (input as { type?: unknown }).type === 'FeatureCollection'
      ? (input as { features?: unknown }).features
      : undefined;
  if (!Array.isArray(list)) throw new StreetImportError('expected a GeoJSON FeatureCollection or an array of Features');
  list.forEach((f, i) => {
    if (!f || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature') {
      throw new StreetImportError(`item #${i} is not a GeoJSON Feature`);
    }
  });
  return list as Feature[];
}

function checkPosition(geom: Polygon | MultiPolygon, label: string): void {
  const rings = geom.type === 'Polygon' ? geom.coordinates : geom.coordinates.flat();
  for (const [lon, lat] of rings.flat()) {
    const inBox = lon! >= SHANGHAI_BOX.minLon && lon! <= SHANGHAI_BOX.maxLon && lat! >= SHANGHAI_BOX.minLat && lat! <= SHANGHAI_BOX.maxLat;
    if (!inBox) {
      throw new StreetImportError(
        `${label}: coordinate [${lon}, ${lat}] is not in Shanghai; expected longitude/latitude degrees (is the file in a projected CRS?)`,
      );
    }
  }
}

async function checkValidity(db: Queryable, geom: Polygon | MultiPolygon, label: string): Promise<string | null> {
  let row: { valid: boolean; reason: string; area: number; fixed_area: number | null };
  try {
    const { rows } = await db.query<typeof row>(
      `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g)
       SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_Area(g) AS area,
              ST_Area(ST_CollectionExtract(ST_MakeValid(g), 3)) AS fixed_area
       FROM g`,
      [JSON.stringify(geom)],
    );
    row = rows[0]!;
  } catch (err) {
    throw new StreetImportError(`${label}: PostGIS cannot read the geometry: ${(err as Error).message}`);
  }
  if (row.valid) return null;
  const change = row.area > 0 && row.fixed_area !== null ? Math.abs(row.fixed_area - row.area) / row.area : Infinity;
  if (change > MAX_REPAIR_AREA_CHANGE) {
    throw new StreetImportError(`${label}: invalid geometry (${row.reason}) that cannot be repaired safely`);
  }
  return row.reason;
}

/**
 * Imports official street boundaries over the demo ones. Features are matched to our 10 streets by a
 * code property or by name; several features of one street are merged. Nothing is written when any
 * matched feature is unusable.
 */
export async function importStreets(db: Queryable, input: unknown, opts: ImportStreetsOptions): Promise<ImportStreetsReport> {
  if (!opts.source.trim() || opts.source === 'demo-partition') {
    throw new StreetImportError('source must name where the boundaries came from (and not be demo-partition)');
  }
  const features = featuresOf(input);
  const report: ImportStreetsReport = { imported: [], unmatched: [], repaired: [], notCovered: [] };
  const rows: { code: string; geom: Polygon | MultiPolygon }[] = [];
  for (const [index, f] of features.entries()) {
    const label = labelOf(f, index);
    const street = matchStreet((f.properties ?? {}) as Record<string, unknown>);
    if (!street) {
      report.unmatched.push({ index, label });
      continue;
    }
    if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon') {
      throw new StreetImportError(`${label}: matched ${street.name} but its geometry is ${f.geometry?.type ?? 'missing'}, not a polygon`);
    }
    const geom = opts.from === 'gcj02' ? mapGeometryCoords(f.geometry, gcj02ToWgs84) : f.geometry;
    checkPosition(geom, label);
    const reason = await checkValidity(db, geom, label);
    if (reason) report.repaired.push({ index, label, reason });
    rows.push({ code: street.code, geom });
    const entry = report.imported.find((e) => e.code === street.code);
    if (entry) entry.features.push(index);
    else report.imported.push({ code: street.code, name: street.name, features: [index] });
  }
  report.notCovered = STREETS.filter((s) => !rows.some((r) => r.code === s.code)).map((s) => ({ code: s.code, name: s.name }));
  if (rows.length === 0) return report;
  await db.query(
    `WITH f AS (
       SELECT r.code, ST_SetSRID(ST_GeomFromGeoJSON(r.geom::text), 4326) AS g
       FROM jsonb_to_recordset($1::jsonb) AS r(code text, geom jsonb)),
     fixed AS (SELECT code, CASE WHEN ST_IsValid(g) THEN g ELSE ST_CollectionExtract(ST_MakeValid(g), 3) END AS g FROM f),
     merged AS (SELECT code, ST_Multi(ST_Union(g)) AS g FROM fixed GROUP BY code)
     INSERT INTO streets (code, name, kind, boundary_source, geom)
     SELECT m.code, s.name, s.kind, $2, m.g
     FROM merged m JOIN jsonb_to_recordset($3::jsonb) AS s(code text, name text, kind text) ON s.code = m.code
     ON CONFLICT (code) DO UPDATE SET geom = EXCLUDED.geom, boundary_source = EXCLUDED.boundary_source`,
    [JSON.stringify(rows), opts.source, JSON.stringify(STREETS.map(({ code, name, kind }) => ({ code, name, kind })))],
  );
  return report;
}
