import type { Queryable } from './pool.js';

export const VECTOR_LAYERS = ['streets', 'registry', 'hotspots', 'candidates'] as const;
export type VectorLayer = (typeof VECTOR_LAYERS)[number];

// Each layer: the table, its alias and the attribute list that goes into the tile.
// $4 is an optional street code that limits the rows (a squad sees its own street only).
const LAYER_SQL: Record<VectorLayer, { from: string; columns: string; streetColumn: string | null }> = {
  streets: {
    from: 'streets t',
    columns: `t.code, t.name, t.kind, t.boundary_source AS "boundarySource", round(t.area_m2) AS "areaM2"`,
    streetColumn: null,
  },
  registry: {
    from: 'registry_items t JOIN streets s ON s.code = t.street_code',
    columns: `t.id, t.case_no AS "caseNo", t.status, t.building_type AS "buildingType", t.origin, t.source,
      t.street_code AS "streetCode", s.name AS "streetName", round(t.floor_area_m2::numeric, 1) AS "floorAreaM2",
      round(t.footprint_m2::numeric, 1) AS "footprintM2", to_char(t.found_on, 'YYYY-MM-DD') AS "foundOn",
      to_char(t.deadline, 'YYYY-MM-DD') AS "deadline", to_char(t.closed_on, 'YYYY-MM-DD') AS "closedOn",
      t.villa_category AS "villaCategory"`,
    streetColumn: 't.street_code',
  },
  hotspots: {
    from: `villa_compounds t JOIN streets s ON s.code = t.street_code
      LEFT JOIN LATERAL (SELECT count(*)::int AS n FROM registry_items r WHERE r.villa_compound_id = t.id) c ON true`,
    columns: `t.id, t.name, t.street_code AS "streetCode", s.name AS "streetName", round(t.area_m2) AS "areaM2",
      c.n AS "villaItems"`,
    streetColumn: 't.street_code',
  },
  candidates: {
    from: 'candidates t LEFT JOIN streets s ON s.code = t.street_code',
    columns: `t.id, t.status, round(t.score_mean::numeric, 3) AS "scoreMean", round(t.score_max::numeric, 3) AS "scoreMax",
      round(t.area_m2::numeric, 1) AS "areaM2", t.rebuilt, t.street_code AS "streetCode", s.name AS "streetName"`,
    streetColumn: 't.street_code',
  },
};

/** A Mapbox Vector Tile of one layer (source-layer name = layer name); an empty buffer when nothing is there. */
export async function vectorTile(
  db: Queryable,
  layer: VectorLayer,
  z: number,
  x: number,
  y: number,
  street?: string,
): Promise<Buffer> {
  const spec = LAYER_SQL[layer];
  // streets are not limited, but $4 must still appear so its type is known
  const streetFilter = spec.streetColumn
    ? `AND ($4::text IS NULL OR ${spec.streetColumn} = $4)`
    : 'AND ($4::text IS NULL OR true)';
  const { rows } = await db.query<{ mvt: Buffer }>(
    `WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS e3857),
     features AS (
       SELECT ST_AsMVTGeom(ST_Transform(t.geom, 3857), env.e3857, 4096, 64, true) AS geom, ${spec.columns}
       FROM ${spec.from}, env
       WHERE t.geom && ST_Transform(env.e3857, 4326) ${streetFilter})
     SELECT ST_AsMVT(features.*, '${layer}', 4096, 'geom') AS mvt FROM features WHERE geom IS NOT NULL`,
    [z, x, y, street ?? null],
  );
  return rows[0]?.mvt ?? Buffer.alloc(0);
}
