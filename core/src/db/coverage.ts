// Imagery coverage and freshness: the district cut into z15 cells (each cell split along street borders, so
// every piece belongs to one street) and the newest imagery that covers each piece.
import type { MonthBounds } from '../monthly-index/month.js';
import { COVERAGE_ZOOM, COVERED_SHARE, MIN_PIECE_M2 } from '../coverage/rules.js';
import type { Queryable } from './pool.js';

/** The cell pieces (street, x, y, geom, area_m2) as a CTE named `pieces`; see coverage_cell_pieces in migration 018. */
export const CELL_PIECES = `pieces AS (SELECT * FROM coverage_cell_pieces(${COVERAGE_ZOOM}, ${MIN_PIECE_M2}))`;

export interface CellFreshness {
  streetCode: string;
  streetName: string;
  x: number;
  y: number;
  areaM2: number;
  /** The newest imagery covering the piece, or null when none ever has (never flown). */
  imageryId: number | null;
  /** ISO 8601 */
  imagedAt: string | null;
  /** Whole days from imagedAt to asOf; null when never flown. */
  daysSince: number | null;
  geometry: GeoJSON.MultiPolygon;
}

/** Every cell piece of the district with its newest covering imagery, as of `asOf`. */
export async function cellFreshness(db: Queryable, asOf: Date): Promise<CellFreshness[]> {
  const { rows } = await db.query<CellFreshness>(
    `WITH ${CELL_PIECES}
     SELECT p.street AS "streetCode", st.name AS "streetName", p.x, p.y, round(p.area_m2::numeric, 1)::float8 AS "areaM2",
       n.imagery_id::int AS "imageryId", to_json(n.imaged_at)#>>'{}' AS "imagedAt",
       floor(extract(epoch FROM ($1::timestamptz - n.imaged_at)) / 86400)::int AS "daysSince",
       ST_AsGeoJSON(p.geom, 7)::json AS geometry
     FROM pieces p JOIN streets st ON st.code = p.street
     LEFT JOIN LATERAL newest_imagery_covering(p.geom, $2, '-infinity') n ON true
     ORDER BY p.street, p.y, p.x`,
    [asOf, COVERED_SHARE],
  );
  return rows;
}

export interface StreetCoverage {
  areaM2: number;
  coveredM2: number;
}

/**
 * Per street: its area and how much of it imagery captured in the month covers (the footprints' union, so
 * overlapping flights count once). The monthly index's coverage (覆盖率) is coveredM2 / areaM2.
 */
export async function monthCoverageByStreet(db: Queryable, b: MonthBounds): Promise<Record<string, StreetCoverage>> {
  const { rows } = await db.query<{ code: string; areaM2: number; coveredM2: number }>(
    `WITH f AS (
       SELECT ST_Union(footprint) AS g FROM imagery
       WHERE status = 'ready' AND kind <> 'photo' AND footprint IS NOT NULL
         AND coalesce(captured_at, created_at) >= $1 AND coalesce(captured_at, created_at) < $2)
     SELECT s.code, s.area_m2 AS "areaM2",
       coalesce(ST_Area(ST_Intersection(s.geom, f.g)::geography), 0) AS "coveredM2"
     FROM streets s CROSS JOIN f ORDER BY s.code`,
    [b.start, b.end],
  );
  return Object.fromEntries(rows.map((r) => [r.code, { areaM2: r.areaM2, coveredM2: r.coveredM2 }]));
}
