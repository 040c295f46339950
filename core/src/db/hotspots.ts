import type { Queryable } from './pool.js';

/**
 * Villa compounds with their villa items counted per 三个一批 category and per status,
 * optionally limited to one street.
 */
export async function hotspotsFeatureCollection(db: Queryable, street?: string): Promise<GeoJSON.FeatureCollection> {
  const { rows } = await db.query<{ fc: GeoJSON.FeatureCollection }>(
    `WITH counts AS (
       SELECT villa_compound_id AS id, sum(n)::int AS total,
         coalesce(json_object_agg(cat, n) FILTER (WHERE cat IS NOT NULL), '{}'::json) AS by_category
       FROM (SELECT villa_compound_id, villa_category AS cat, count(*)::int AS n FROM registry_items
             WHERE villa_compound_id IS NOT NULL GROUP BY 1, 2) c GROUP BY 1),
     statuses AS (
       SELECT villa_compound_id AS id, json_object_agg(status, n) AS by_status
       FROM (SELECT villa_compound_id, status, count(*)::int AS n FROM registry_items
             WHERE villa_compound_id IS NOT NULL GROUP BY 1, 2) s GROUP BY 1)
     SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', v.id, 'geometry', ST_AsGeoJSON(v.geom, 7)::json,
       'properties', json_build_object('id', v.id, 'name', v.name, 'streetCode', v.street_code,
         'streetName', s.name, 'areaM2', round(v.area_m2), 'villaItems', coalesce(c.total, 0),
         'byCategory', coalesce(c.by_category, '{}'::json), 'byStatus', coalesce(st.by_status, '{}'::json))
     ) ORDER BY v.id), '[]'::json)) AS fc
     FROM villa_compounds v JOIN streets s ON s.code = v.street_code
       LEFT JOIN counts c ON c.id = v.id LEFT JOIN statuses st ON st.id = v.id
     WHERE ($1::text IS NULL OR v.street_code = $1)`,
    [street ?? null],
  );
  return rows[0]!.fc;
}
