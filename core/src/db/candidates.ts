import type { CandidateStatus, DismissReason } from '../domain.js';
import { placeColumns, SAME_PLACE_OVERLAP } from './detection-merge.js';
import type { Queryable } from './pool.js';

export const CANDIDATE_SORTS = ['priority', 'score', 'area', 'newest'] as const;
export type CandidateSort = (typeof CANDIDATE_SORTS)[number];

export interface CandidateFilter {
  run?: number;
  status?: CandidateStatus;
  street?: string;
  bbox?: [number, number, number, number];
  /** true: only inside a villa compound; false: only outside */
  villa?: boolean;
  minScore?: number;
  minArea?: number;
  /** only dismissals waiting for a second reviewer */
  reviewPending?: boolean;
  /** detected on or after / on or before these calendar dates (Asia/Shanghai), YYYY-MM-DD */
  from?: string;
  to?: string;
}

/** Where a candidate comes from: a detection run, or a building the office drew because the model missed it. */
export const CANDIDATE_SOURCES = ['detection', 'manual'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

export interface CandidateSummary {
  id: number;
  source: CandidateSource;
  /** null for a drawn candidate */
  runId: number | null;
  status: CandidateStatus;
  dismissReason: DismissReason | null;
  scoreMean: number;
  scoreMax: number;
  areaM2: number;
  /** the model version that found it; null for a drawn candidate */
  modelVersion: string | null;
  streetCode: string | null;
  streetName: string | null;
  villaCompoundId: number | null;
  villaName: string | null;
  rebuilt: boolean;
  registryItemId: number | null;
  caseNo: string | null;
  beforeImageryId: number | null;
  afterImageryId: number | null;
  /** whether that imagery has its tiles (status ready): only then are there chips and a before/after to show */
  beforeImageryReady: boolean;
  afterImageryReady: boolean;
  fieldCheckDue: string | null;
  overdue: boolean;
  reviewPending: boolean;
  createdAt: string;
  updatedAt: string;
  /** [west, south, east, north] */
  bbox: [number, number, number, number];
  centroid: [number, number];
}

// Rebuilt spots and villa compounds first, then the likely large ones.
const ORDER_BY: Record<CandidateSort, string> = {
  priority: '(c.rebuilt OR c.villa_compound_id IS NOT NULL) DESC, c.score_mean * c.area_m2 DESC, c.id',
  score: 'c.score_max DESC, c.id',
  area: 'c.area_m2 DESC, c.id',
  newest: 'c.created_at DESC, c.id DESC',
};

const SUMMARY_COLUMNS = `c.id, c.source, c.run_id AS "runId", c.status, c.dismiss_reason AS "dismissReason",
  c.score_mean AS "scoreMean", c.score_max AS "scoreMax", round(c.area_m2::numeric, 1) AS "areaM2",
  c.model_version AS "modelVersion", c.street_code AS "streetCode", s.name AS "streetName",
  c.villa_compound_id AS "villaCompoundId", v.name AS "villaName", c.rebuilt,
  c.registry_item_id AS "registryItemId", r.case_no AS "caseNo",
  c.before_imagery_id AS "beforeImageryId", c.after_imagery_id AS "afterImageryId",
  EXISTS (SELECT 1 FROM imagery i WHERE i.id = c.before_imagery_id AND i.status = 'ready') AS "beforeImageryReady",
  EXISTS (SELECT 1 FROM imagery i WHERE i.id = c.after_imagery_id AND i.status = 'ready') AS "afterImageryReady",
  to_char(c.field_check_due, 'YYYY-MM-DD') AS "fieldCheckDue",
  (c.status = 'field_check' AND c.field_check_due < $1::date) AS overdue, c.review_pending AS "reviewPending",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  json_build_array(round(ST_XMin(c.geom)::numeric, 7), round(ST_YMin(c.geom)::numeric, 7),
    round(ST_XMax(c.geom)::numeric, 7), round(ST_YMax(c.geom)::numeric, 7)) AS bbox,
  json_build_array(round(ST_X(ST_PointOnSurface(c.geom))::numeric, 7),
    round(ST_Y(ST_PointOnSurface(c.geom))::numeric, 7)) AS centroid`;

const SUMMARY_FROM = `candidates c LEFT JOIN streets s ON s.code = c.street_code
  LEFT JOIN villa_compounds v ON v.id = c.villa_compound_id LEFT JOIN registry_items r ON r.id = c.registry_item_id`;

// $1 is today's date; filters take $2..$11 and $14..$16 ($12, $13 are paging).
const FILTER_WHERE = `($2::bigint IS NULL OR c.run_id = $2)
  AND ($3::text IS NULL OR c.status = $3)
  AND ($4::text IS NULL OR c.street_code = $4)
  AND ($5::float8 IS NULL OR c.geom && ST_MakeEnvelope($5, $6, $7, $8, 4326))
  AND ($9::boolean IS NULL OR (c.villa_compound_id IS NOT NULL) = $9)
  AND ($10::float8 IS NULL OR c.score_max >= $10)
  AND ($11::float8 IS NULL OR c.area_m2 >= $11)
  AND ($14::boolean IS NULL OR c.review_pending = $14)
  AND ($15::date IS NULL OR (c.created_at AT TIME ZONE 'Asia/Shanghai')::date >= $15)
  AND ($16::date IS NULL OR (c.created_at AT TIME ZONE 'Asia/Shanghai')::date <= $16)`;

function filterParams(today: string, f: CandidateFilter, limit: number | null = null, offset: number | null = null): unknown[] {
  return [today, f.run ?? null, f.status ?? null, f.street ?? null, f.bbox?.[0] ?? null, f.bbox?.[1] ?? null,
    f.bbox?.[2] ?? null, f.bbox?.[3] ?? null, f.villa ?? null, f.minScore ?? null, f.minArea ?? null,
    limit, offset, f.reviewPending ?? null, f.from ?? null, f.to ?? null];
}

export async function candidatePage(
  db: Queryable,
  today: string,
  filter: CandidateFilter,
  page: { sort: CandidateSort; limit: number; offset: number },
): Promise<{ items: CandidateSummary[]; total: number }> {
  const { rows } = await db.query<CandidateSummary & { total: number }>(
    `SELECT ${SUMMARY_COLUMNS}, count(*) OVER ()::int AS total FROM ${SUMMARY_FROM}
     WHERE ${FILTER_WHERE} ORDER BY ${ORDER_BY[page.sort]} LIMIT $12 OFFSET $13`,
    filterParams(today, filter, page.limit, page.offset),
  );
  const total = rows[0]?.total ?? (page.offset > 0 ? await countCandidates(db, today, filter) : 0);
  return { items: rows.map(({ total: _t, ...item }) => item), total };
}

export async function countCandidates(db: Queryable, today: string, filter: CandidateFilter): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM candidates c WHERE $1::date IS NOT NULL AND ${FILTER_WHERE}
       AND ($12::int IS NULL OR true) AND ($13::int IS NULL OR true)`,
    filterParams(today, filter),
  );
  return rows[0]!.n;
}

/** Ids of the candidates a filter matches, lowest first (the order bulk decisions lock them in). */
export async function candidateIdsMatching(db: Queryable, filter: CandidateFilter, max: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT c.id FROM candidates c WHERE $1::date IS NOT NULL AND ${FILTER_WHERE} ORDER BY c.id
       LIMIT $12 OFFSET coalesce($13::int, 0)`,
    filterParams('1970-01-01', filter, max),
  );
  return rows.map((r) => r.id);
}

export interface ImageryRef {
  id: number;
  kind: string;
  status: string;
  capturedAt: string | null;
  tileFormat: string | null;
  /** the deepest zoom of its tile pyramid; maps enlarge these tiles past it */
  maxZoom: number | null;
}

export interface CandidateDetail extends CandidateSummary {
  geometry: GeoJSON.MultiPolygon;
  beforeImagery: ImageryRef | null;
  afterImagery: ImageryRef | null;
}

const IMAGERY_REF = (alias: string) => `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id,
  'kind', ${alias}.kind, 'status', ${alias}.status, 'capturedAt', ${alias}.captured_at, 'tileFormat', ${alias}.tile_format,
  'maxZoom', ${alias}.max_zoom) END`;

export async function candidateDetail(db: Queryable, today: string, id: number): Promise<CandidateDetail | undefined> {
  const { rows } = await db.query<CandidateDetail>(
    `SELECT ${SUMMARY_COLUMNS}, ST_AsGeoJSON(c.geom, 7)::json AS geometry,
       ${IMAGERY_REF('bi')} AS "beforeImagery", ${IMAGERY_REF('ai')} AS "afterImagery"
     FROM ${SUMMARY_FROM} LEFT JOIN imagery bi ON bi.id = c.before_imagery_id
       LEFT JOIN imagery ai ON ai.id = c.after_imagery_id
     WHERE c.id = $2`,
    [today, id],
  );
  return rows[0];
}

/** The fields a decision needs, with the row locked until the transaction ends. */
export interface CandidateForUpdate {
  id: number;
  status: CandidateStatus;
  dismissReason: DismissReason | null;
  streetCode: string | null;
  villaCompoundId: number | null;
  registryItemId: number | null;
  areaM2: number;
  fieldCheckDue: string | null;
  reviewPending: boolean;
  afterImageryKind: string | null;
}

export async function lockCandidate(db: Queryable, id: number): Promise<CandidateForUpdate | undefined> {
  const { rows } = await db.query<CandidateForUpdate>(
    `SELECT c.id, c.status, c.dismiss_reason AS "dismissReason", c.street_code AS "streetCode", c.villa_compound_id AS "villaCompoundId",
       c.registry_item_id AS "registryItemId", c.area_m2 AS "areaM2",
       to_char(c.field_check_due, 'YYYY-MM-DD') AS "fieldCheckDue", c.review_pending AS "reviewPending",
       (SELECT i.kind FROM imagery i WHERE i.id = c.after_imagery_id) AS "afterImageryKind"
     FROM candidates c WHERE c.id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

export interface CandidateChange {
  status: CandidateStatus;
  dismissReason: DismissReason | null;
  registryItemId: number | null;
  fieldCheckDue: string | null;
  reviewPending: boolean;
}

export async function updateCandidateStatus(db: Queryable, id: number, change: CandidateChange): Promise<void> {
  await db.query(
    `UPDATE candidates SET status = $2, dismiss_reason = $3, registry_item_id = $4, field_check_due = $5::date,
       review_pending = $6, updated_at = now() WHERE id = $1`,
    [id, change.status, change.dismissReason, change.registryItemId, change.fieldCheckDue, change.reviewPending],
  );
}

/** Street squads see a candidate once it is sent to them, so the street decides who may read it. */
export async function candidateStreet(db: Queryable, id: number): Promise<{ streetCode: string | null } | undefined> {
  const { rows } = await db.query<{ streetCode: string | null }>(
    'SELECT street_code AS "streetCode" FROM candidates WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** Junior office users' dismissals can need a second reviewer (config TRIAGE_DISMISS_REVIEW). */
export async function isJuniorUser(db: Queryable, userId: number): Promise<boolean> {
  const { rows } = await db.query<{ junior: boolean }>('SELECT junior FROM users WHERE id = $1', [userId]);
  return rows[0]?.junior ?? false;
}

/** A building the office drew; it starts as new and the caller's decision (in the same transaction) sets its status. */
export interface NewManualCandidate {
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  beforeImageryId: number | null;
  afterImageryId: number | null;
}

/**
 * Inserts a drawn candidate placed as detected ones are (street, villa compound, registry item, rebuilt), with the
 * newest ready imagery covering it as its after imagery and the newest earlier one as its before imagery unless
 * given. Scores are 1: a person saw it.
 */
export async function insertManualCandidate(db: Queryable, c: NewManualCandidate): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `WITH g AS (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)) AS geom),
     after AS (SELECT coalesce($3::bigint, (SELECT i.id FROM imagery i, g WHERE i.status = 'ready' AND ST_Covers(i.footprint, g.geom)
                                           ORDER BY i.captured_at DESC NULLS LAST, i.id DESC LIMIT 1)) AS id),
     before AS (SELECT coalesce($2::bigint, (SELECT b.id FROM imagery b, g, imagery a, after
                                            WHERE a.id = after.id AND b.status = 'ready' AND b.id <> a.id AND b.captured_at < a.captured_at
                                              AND ST_Covers(b.footprint, g.geom)
                                            ORDER BY b.captured_at DESC, b.id DESC LIMIT 1)) AS id),
     placed AS (SELECT g.geom, ${placeColumns('g.geom', String(SAME_PLACE_OVERLAP))} FROM g)
     INSERT INTO candidates (source, geom, score_mean, score_max, street_code, villa_compound_id, registry_item_id, rebuilt,
       before_imagery_id, after_imagery_id)
     SELECT 'manual', p.geom, 1, 1, p.street, p.villa, coalesce(p.open_item, p.removed_item),
       p.open_item IS NULL AND p.removed_item IS NOT NULL, (SELECT id FROM before), (SELECT id FROM after)
     FROM placed p RETURNING id`,
    [JSON.stringify(c.geometry), c.beforeImageryId, c.afterImageryId],
  );
  return rows[0]!.id;
}

/** The outline's problem in words (not a polygon, invalid, too large), or null when it can be stored. */
export async function outlineProblem(db: Queryable, geometry: unknown, maxAreaM2: number): Promise<string | null> {
  const { rows } = await db.query<{ problem: string | null }>(
    `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom)
     SELECT CASE WHEN GeometryType(geom) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN 'it is a ' || lower(GeometryType(geom)) || ', not a polygon'
                 WHEN NOT ST_IsValid(geom) THEN 'it is not a valid polygon (' || ST_IsValidReason(geom) || ')'
                 WHEN ST_Area(geom::geography) < 1 THEN 'it encloses less than 1 m²'
                 WHEN ST_Area(geom::geography) > $2 THEN 'it encloses ' || round(ST_Area(geom::geography)) || ' m², more than ' || $2 || ' m²'
            END AS problem FROM g`,
    [JSON.stringify(geometry), maxAreaM2],
  ).catch((err: Error) => ({ rows: [{ problem: `it is not GeoJSON PostGIS can read (${err.message})` }] }));
  return rows[0]!.problem;
}

/** Replaces a candidate's outline (record the old one first: insertOutlineEvent). */
export async function replaceCandidateOutline(db: Queryable, id: number, geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon): Promise<void> {
  await db.query(
    `UPDATE candidates SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)), updated_at = now() WHERE id = $1`,
    [id, JSON.stringify(geometry)],
  );
}
