import type { Queryable } from './pool.js';
import { REGISTRY_PROPERTIES } from './registry.js';

/** One page of registry items as GeoJSON Feature texts, by id after `afterId` (keyset paging for big dumps). */
export async function registryFeaturesAfter(
  db: Queryable,
  afterId: number,
  limit: number,
  street?: string,
): Promise<{ id: number; feature: string }[]> {
  const { rows } = await db.query<{ id: number; feature: string }>(
    `SELECT r.id, json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(r.geom, 7)::json,
       'properties', json_build_object(${REGISTRY_PROPERTIES}))::text AS feature
     FROM registry_items r JOIN streets s ON s.code = r.street_code
     WHERE r.id > $1 AND ($3::text IS NULL OR r.street_code = $3) ORDER BY r.id LIMIT $2`,
    [afterId, limit, street ?? null],
  );
  return rows;
}
