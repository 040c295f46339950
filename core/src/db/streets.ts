import type { Queryable } from './pool.js';

export interface StreetSummary {
  code: string;
  name: string;
  kind: string;
}

export async function listStreetSummaries(db: Queryable): Promise<StreetSummary[]> {
  const { rows } = await db.query<StreetSummary>('SELECT code, name, kind FROM streets ORDER BY code');
  return rows;
}

export async function streetExists(db: Queryable, code: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM streets WHERE code = $1', [code]);
  return (rowCount ?? 0) > 0;
}

export async function streetName(db: Queryable, code: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM streets WHERE code = $1', [code]);
  return rows[0]?.name ?? null;
}

/** All streets as a GeoJSON FeatureCollection, built by PostGIS. */
export async function streetsFeatureCollection(db: Queryable): Promise<GeoJSON.FeatureCollection> {
  const { rows } = await db.query<{ fc: GeoJSON.FeatureCollection }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', code,
       'geometry', ST_AsGeoJSON(geom, 7)::json,
       'properties', json_build_object('code', code, 'name', name, 'kind', kind,
                                       'boundarySource', boundary_source, 'areaM2', round(area_m2))
     ) ORDER BY code), '[]'::json)) AS fc
     FROM streets`,
  );
  return rows[0]!.fc;
}
