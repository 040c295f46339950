import type { Queryable } from './pool.js';

export interface GeometryCheck {
  i: number;
  valid: boolean;
  reason: string;
  /** ST_MakeValid's polygons as GeoJSON MultiPolygon, or null when nothing polygonal was left */
  repaired: string | null;
  areaBefore: number;
  areaAfter: number;
  /** the street that holds most of the polygon */
  streetCode: string | null;
}

/** Validity, repair and street of each polygon (GeoJSON in EPSG:4326), in one round trip. */
export async function checkImportGeometries(db: Queryable, rows: { i: number; geojson: string }[]): Promise<GeometryCheck[]> {
  const { rows: out } = await db.query<GeometryCheck>(
    `WITH input AS (
       SELECT (r->>'i')::int AS i, ST_SetSRID(ST_GeomFromGeoJSON(r->>'g'), 4326) AS g FROM json_array_elements($1::json) r),
     fixed AS (
       SELECT i, g, ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
         ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) AS m FROM input)
     SELECT i, valid, reason, CASE WHEN ST_IsEmpty(m) THEN NULL ELSE ST_AsGeoJSON(m, 8) END AS repaired,
       abs(ST_Area(g::geography)) AS "areaBefore", ST_Area(m::geography) AS "areaAfter",
       (SELECT s.code FROM streets s WHERE ST_Intersects(s.geom, m)
        ORDER BY ST_Area(ST_Intersection(s.geom, m)) DESC, s.code LIMIT 1) AS "streetCode"
     FROM fixed ORDER BY i`,
    [JSON.stringify(rows.map((r) => ({ i: r.i, g: r.geojson })))],
  );
  return out;
}

/** A WKT text as GeoJSON, or the parser's complaint. */
export async function wktToGeoJson(db: Queryable, wkt: string): Promise<{ geojson?: string; error?: string }> {
  try {
    const { rows } = await db.query<{ g: string; finite: boolean }>(
      `SELECT ST_AsGeoJSON(g, 10) AS g, NOT EXISTS (SELECT 1 FROM ST_DumpPoints(g) d
         WHERE NOT (ST_X(d.geom) BETWEEN -1e300 AND 1e300 AND ST_Y(d.geom) BETWEEN -1e300 AND 1e300)) AS finite
       FROM ST_GeomFromText($1) g`,
      [wkt],
    );
    if (!rows[0]!.finite) return { error: 'its coordinates are not finite numbers (NaN or infinite)' };
    return { geojson: rows[0]!.g };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export async function existingCaseNos(db: Queryable, caseNos: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ case_no: string }>('SELECT case_no FROM registry_items WHERE case_no = ANY($1::text[])', [
    caseNos,
  ]);
  return new Set(rows.map((r) => r.case_no));
}

export async function streetCodesByName(db: Queryable): Promise<Map<string, string>> {
  const { rows } = await db.query<{ code: string; name: string }>('SELECT code, name FROM streets');
  const map = new Map<string, string>();
  for (const r of rows) {
    map.set(r.code, r.code);
    map.set(r.name, r.code);
    map.set(r.name.replace(/(街道|镇)$/, ''), r.code);
  }
  return map;
}

export interface ImportedItem {
  caseNo: string;
  streetCode: string;
  geojson: string;
  floorAreaM2: number;
  buildingType: string;
  origin: string;
  source: string;
  status: string;
  foundOn: string;
  deadline: string | null;
  closedOn: string | null;
  address: string;
  notes: string;
}

/** Inserts one item and its 'import' event; returns null when the case number exists already. */
export async function insertImportedItem(db: Queryable, item: ImportedItem, actorId: number, fileName: string): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO registry_items (case_no, street_code, geom, floor_area_m2, building_type, origin, source, status,
       found_on, deadline, closed_on, address, notes, created_by)
     VALUES ($1, $2, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (case_no) DO NOTHING RETURNING id`,
    [item.caseNo, item.streetCode, item.geojson, item.floorAreaM2, item.buildingType, item.origin, item.source, item.status,
      item.foundOn, item.deadline, item.closedOn, item.address, item.notes, actorId],
  );
  const id = rows[0]?.id ?? null;
  if (id !== null) {
    await db.query(
      `INSERT INTO registry_events (item_id, actor_id, action, to_status, data) VALUES ($1, $2, 'import', $3, $4)`,
      [id, actorId, item.status, JSON.stringify({ file: fileName })],
    );
  }
  return id;
}

/** Moves an item to another street and records who did it, from where, to where, and why. */
export async function reassignRegistryItem(
  db: Queryable,
  a: { id: number; streetCode: string; actorId: number; note: string },
): Promise<{ from: string } | undefined> {
  const { rows } = await db.query<{ from: string }>(
    `WITH old AS (SELECT id, street_code FROM registry_items WHERE id = $1 FOR UPDATE)
     UPDATE registry_items r SET street_code = $2, updated_at = now() FROM old WHERE r.id = old.id
     RETURNING old.street_code AS "from"`,
    [a.id, a.streetCode],
  );
  const from = rows[0]?.from;
  if (from === undefined) return undefined;
  await db.query(
    `INSERT INTO registry_events (item_id, actor_id, action, note, data) VALUES ($1, $2, 'reassign', $3, $4)`,
    [a.id, a.actorId, a.note, JSON.stringify({ fromStreet: from, toStreet: a.streetCode })],
  );
  return { from };
}
