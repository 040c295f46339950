import type { RegistryStatus } from '../domain.js';
import type { Queryable } from './pool.js';

export interface RegistryQuery {
  bbox?: [number, number, number, number];
  street?: string;
  status?: RegistryStatus;
  limit: number;
  offset: number;
}

export interface RegistryPage {
  collection: GeoJSON.FeatureCollection;
  total: number;
}

/** Properties shared by the GeoJSON API and the vector tiles, so both name fields alike. */
export const REGISTRY_PROPERTIES = `'id', r.id, 'caseNo', r.case_no, 'status', r.status, 'buildingType', r.building_type,
  'origin', r.origin, 'source', r.source, 'streetCode', r.street_code, 'streetName', s.name,
  'floorAreaM2', round(r.floor_area_m2::numeric, 1), 'footprintM2', round(r.footprint_m2::numeric, 1),
  'address', r.address, 'foundOn', r.found_on, 'deadline', r.deadline, 'closedOn', r.closed_on,
  'villaCompoundId', r.villa_compound_id, 'villaCategory', r.villa_category`;

export async function registryPage(db: Queryable, q: RegistryQuery): Promise<RegistryPage> {
  const params = [q.bbox?.[0] ?? null, q.bbox?.[1] ?? null, q.bbox?.[2] ?? null, q.bbox?.[3] ?? null,
    q.street ?? null, q.status ?? null, q.limit, q.offset];
  const { rows } = await db.query<{ fc: GeoJSON.FeatureCollection; total: number }>(
    `WITH matching AS (
       SELECT r.*, s.name AS street_name FROM registry_items r JOIN streets s ON s.code = r.street_code
       WHERE ($1::float8 IS NULL OR r.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))
         AND ($5::text IS NULL OR r.street_code = $5)
         AND ($6::text IS NULL OR r.status = $6)),
     page AS (SELECT * FROM matching ORDER BY id LIMIT $7 OFFSET $8)
     SELECT (SELECT count(*)::int FROM matching) AS total,
       json_build_object('type', 'FeatureCollection', 'features', coalesce((
         SELECT json_agg(json_build_object('type', 'Feature', 'id', r.id,
           'geometry', ST_AsGeoJSON(r.geom, 7)::json,
           'properties', json_build_object(${REGISTRY_PROPERTIES.replaceAll('s.name', 'r.street_name')})) ORDER BY r.id)
         FROM page r), '[]'::json)) AS fc`,
    params,
  );
  return { collection: rows[0]!.fc, total: rows[0]!.total };
}

export async function countRegistryByStatus(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM registry_items GROUP BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
