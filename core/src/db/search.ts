// What the header's search finds in the database: registry items by case number, address or id, candidates
// by number, streets by name or code. A squad's search is held to its own street's items (streets
// themselves are public, as on the map).
import type { Queryable } from './pool.js';

export type SearchKind = 'case' | 'candidate' | 'registry' | 'street';

export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** case number, street name, … */
  label: string;
  streetCode: string | null;
  streetName: string | null;
  /** status of a candidate or registry item */
  status: string | null;
  lon: number;
  lat: number;
  /** [west, south, east, north] */
  bbox: [number, number, number, number];
}

export interface SearchScope {
  /** only this street's candidates and registry items; null for all */
  street: string | null;
  limit: number;
}

const LOCATION = `ST_X(ST_PointOnSurface(g)) AS lon, ST_Y(ST_PointOnSurface(g)) AS lat,
  json_build_array(ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g)) AS bbox`;

/** `like` patterns match literally: the user's % and _ are no wildcards. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Registry items whose case number or address holds the text, exact case numbers first. */
export async function searchRegistryText(db: Queryable, text: string, scope: SearchScope): Promise<SearchHit[]> {
  const { rows } = await db.query<SearchHit>(
    `SELECT 'case' AS kind, r.id::text AS id, r.case_no AS label, r.street_code AS "streetCode", s.name AS "streetName",
       r.status, ${LOCATION}
     FROM registry_items r CROSS JOIN LATERAL (SELECT r.geom AS g) x LEFT JOIN streets s ON s.code = r.street_code
     WHERE ($2::text IS NULL OR r.street_code = $2)
       AND (r.case_no ILIKE '%' || $1 || '%' OR ($4 AND r.address ILIKE '%' || $1 || '%'))
     ORDER BY (upper(r.case_no) = upper($5)) DESC, r.case_no LIMIT $3`,
    [likeEscape(text), scope.street, scope.limit, text.length >= 2, text],
  );
  return rows;
}

/** The candidate and the registry item with this number, where they exist and are in scope. */
export async function searchById(db: Queryable, id: number, scope: SearchScope): Promise<SearchHit[]> {
  const { rows } = await db.query<SearchHit>(
    `SELECT * FROM (
       SELECT 'candidate' AS kind, c.id::text AS id, '#' || c.id AS label, c.street_code AS "streetCode", s.name AS "streetName",
         c.status, ${LOCATION}
       FROM candidates c CROSS JOIN LATERAL (SELECT c.geom AS g) x LEFT JOIN streets s ON s.code = c.street_code
       WHERE c.id = $1 AND ($2::text IS NULL OR c.street_code = $2)
       UNION ALL
       SELECT 'registry', r.id::text, r.case_no, r.street_code, s.name, r.status, ${LOCATION}
       FROM registry_items r CROSS JOIN LATERAL (SELECT r.geom AS g) x LEFT JOIN streets s ON s.code = r.street_code
       WHERE r.id = $1 AND ($2::text IS NULL OR r.street_code = $2)
     ) hits ORDER BY kind`,
    [id, scope.street],
  );
  return rows;
}

/** Streets whose name or code holds the text ("曹杨" finds 曹杨新村). */
export async function searchStreets(db: Queryable, text: string, limit: number): Promise<SearchHit[]> {
  const { rows } = await db.query<SearchHit>(
    `SELECT 'street' AS kind, code AS id, name AS label, code AS "streetCode", name AS "streetName", NULL AS status, ${LOCATION}
     FROM streets CROSS JOIN LATERAL (SELECT geom AS g) x
     WHERE name ILIKE '%' || $1 || '%' OR code = $2
     ORDER BY (name = $2) DESC, code LIMIT $3`,
    [likeEscape(text), text, limit],
  );
  return rows;
}

/** The name of the street a point lies in, if any. */
export async function streetAt(db: Queryable, lon: number, lat: number): Promise<{ code: string; name: string } | null> {
  const { rows } = await db.query<{ code: string; name: string }>(
    'SELECT code, name FROM streets WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code LIMIT 1',
    [lon, lat],
  );
  return rows[0] ?? null;
}
