import type { Queryable } from './pool.js';

export interface ExportItem {
  id: number;
  caseNo: string;
  streetCode: string;
  streetName: string;
  status: string;
  origin: string;
  source: string;
  buildingType: string;
  floorAreaM2: number;
  footprintM2: number;
  areaRemovedM2: number | null;
  foundOn: string;
  deadline: string | null;
  closedOn: string | null;
  address: string;
  villaCategory: string | null;
  geometry: GeoJSON.MultiPolygon;
}

export async function monthExportItems(db: Queryable, ids: number[]): Promise<ExportItem[]> {
  const { rows } = await db.query<ExportItem>(
    `SELECT r.id, r.case_no AS "caseNo", r.street_code AS "streetCode", s.name AS "streetName", r.status, r.origin,
       r.source, r.building_type AS "buildingType", round(r.floor_area_m2::numeric, 1) AS "floorAreaM2",
       round(r.footprint_m2::numeric, 1) AS "footprintM2", round(r.area_removed_m2::numeric, 1) AS "areaRemovedM2",
       to_char(r.found_on, 'YYYY-MM-DD') AS "foundOn", to_char(r.deadline, 'YYYY-MM-DD') AS deadline,
       to_char(r.closed_on, 'YYYY-MM-DD') AS "closedOn", r.address, r.villa_category AS "villaCategory",
       ST_AsGeoJSON(r.geom, 7)::json AS geometry
     FROM registry_items r JOIN streets s ON s.code = r.street_code WHERE r.id = ANY($1::bigint[]) ORDER BY r.id`,
    [ids],
  );
  return rows;
}

export interface StreetOutline {
  code: string;
  name: string;
  geometry: GeoJSON.MultiPolygon | GeoJSON.Polygon;
}

/** Street outlines simplified to ~10 m, enough for a page-sized map. */
export async function streetOutlines(db: Queryable): Promise<StreetOutline[]> {
  const { rows } = await db.query<StreetOutline>(
    `SELECT code, name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0001), 6)::json AS geometry
     FROM streets ORDER BY code`,
  );
  return rows;
}
