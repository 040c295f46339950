// Feature queries behind the OGC API – Features endpoints. The SQL fragments below are constants per
// collection; every value from a request is a bind parameter.
import type { Queryable } from './pool.js';
import { REGISTRY_PROPERTIES } from './registry.js';

export const OGC_COLLECTIONS = {
  registry: {
    title: '无证建筑数据库 (unlicensed-building registry)',
    from: 'registry_items r JOIN streets s ON s.code = r.street_code',
    id: 'r.id',
    geom: 'r.geom',
    time: 'r.found_on::timestamp AT TIME ZONE \'Asia/Shanghai\'',
    street: 'r.street_code',
    properties: REGISTRY_PROPERTIES,
  },
  candidates: {
    title: '疑似图斑 (change-detection candidates)',
    from: 'candidates c',
    id: 'c.id',
    geom: 'c.geom',
    time: 'c.created_at',
    street: 'c.street_code',
    properties: `'id', c.id, 'status', c.status, 'dismissReason', c.dismiss_reason, 'areaM2', round(c.area_m2::numeric, 1),
      'scoreMean', c.score_mean, 'scoreMax', c.score_max, 'modelVersion', c.model_version, 'streetCode', c.street_code,
      'registryItemId', c.registry_item_id, 'createdAt', c.created_at`,
  },
  hotspots: {
    title: '别墅违建热点 (villa compounds)',
    from: 'villa_compounds v',
    id: 'v.id',
    geom: 'v.geom',
    time: 'v.created_at',
    street: 'v.street_code',
    properties: `'id', v.id, 'name', v.name, 'streetCode', v.street_code, 'areaM2', round(v.area_m2::numeric)`,
  },
  streets: {
    title: '街镇 (sub-districts)',
    from: 'streets t',
    id: 't.code',
    geom: 't.geom',
    time: null,
    street: 't.code',
    properties: `'code', t.code, 'name', t.name, 'kind', t.kind, 'boundarySource', t.boundary_source, 'areaM2', round(t.area_m2)`,
  },
} as const;
export type OgcCollection = keyof typeof OGC_COLLECTIONS;

export interface FeatureQuery {
  bbox?: [number, number, number, number];
  /** inclusive bounds; either may be open */
  from?: Date;
  to?: Date;
  street?: string;
  limit: number;
  offset: number;
  id?: string;
}

export async function ogcFeatures(
  db: Queryable,
  name: OgcCollection,
  q: FeatureQuery,
): Promise<{ features: GeoJSON.Feature[]; matched: number }> {
  const c = OGC_COLLECTIONS[name];
  const time = c.time ?? 'NULL::timestamptz';
  const { rows } = await db.query<{ features: GeoJSON.Feature[] | null; matched: number }>(
    `WITH m AS (
       SELECT ${c.id} AS fid, ${c.geom} AS g, json_build_object(${c.properties}) AS p FROM ${c.from}
       WHERE ($1::float8 IS NULL OR ${c.geom} && ST_MakeEnvelope($1, $2, $3, $4, 4326))
         AND ($5::timestamptz IS NULL OR ${time} >= $5) AND ($6::timestamptz IS NULL OR ${time} <= $6)
         AND ($7::text IS NULL OR ${c.street} = $7) AND ($10::text IS NULL OR ${c.id}::text = $10)),
     page AS (SELECT * FROM m ORDER BY fid LIMIT $8 OFFSET $9)
     SELECT (SELECT count(*)::int FROM m) AS matched,
       (SELECT json_agg(json_build_object('type', 'Feature', 'id', fid, 'geometry', ST_AsGeoJSON(g, 7)::json,
         'properties', p) ORDER BY fid) FROM page) AS features`,
    [q.bbox?.[0] ?? null, q.bbox?.[1] ?? null, q.bbox?.[2] ?? null, q.bbox?.[3] ?? null, q.from ?? null, q.to ?? null,
      q.street ?? null, q.limit, q.offset, q.id ?? null],
  );
  return { features: rows[0]!.features ?? [], matched: rows[0]!.matched };
}

/** The bounding box of a collection, [w, s, e, n], or null when it is empty. */
export async function ogcExtent(db: Queryable, name: OgcCollection): Promise<number[] | null> {
  const c = OGC_COLLECTIONS[name];
  const { rows } = await db.query<{ w: number | null; s: number; e: number; n: number }>(
    `SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM (SELECT ST_Extent(${c.geom}) AS b FROM ${c.from}) x`,
  );
  const r = rows[0]!;
  return r.w === null ? null : [r.w, r.s, r.e, r.n];
}
