// The decided candidates and the undisturbed tiles a training set is cut from (core/src/learning/training-set.ts).
import type { CandidateStatus, DismissReason } from '../domain.js';
import type { Queryable } from './pool.js';

export interface LabelFilter {
  /** decided on or after this calendar date (Asia/Shanghai), YYYY-MM-DD */
  since?: string;
  streets?: string[];
}

export interface LabelledCandidate {
  id: number;
  status: CandidateStatus;
  dismissReason: DismissReason | null;
  runId: number;
  zoom: number;
  beforeImageryId: number;
  afterImageryId: number;
  geometry: GeoJSON.MultiPolygon;
  /** [west, south, east, north] */
  bbox: [number, number, number, number];
  /** the audit event that made the decision, who made it and when (null for rows decided without one) */
  decisionEventId: number | null;
  decidedBy: number | null;
  decidedAt: string | null;
}

/**
 * Candidates whose status (or dismissal reason) is in the lists given, with a before and an after image, lowest
 * id first. The decision is the newest audit event that moved the candidate to its present status.
 */
export async function labelledCandidates(
  db: Queryable,
  rule: { statuses: readonly CandidateStatus[]; dismissReasons: readonly DismissReason[] },
  filter: LabelFilter,
): Promise<LabelledCandidate[]> {
  const { rows } = await db.query<LabelledCandidate>(
    `SELECT c.id, c.status, c.dismiss_reason AS "dismissReason", r.id AS "runId", r.zoom,
       c.before_imagery_id AS "beforeImageryId", c.after_imagery_id AS "afterImageryId",
       ST_AsGeoJSON(c.geom, 9)::json AS geometry,
       json_build_array(ST_XMin(c.geom), ST_YMin(c.geom), ST_XMax(c.geom), ST_YMax(c.geom)) AS bbox,
       e.id AS "decisionEventId", e.actor_id AS "decidedBy", to_json(e.at)#>>'{}' AS "decidedAt"
     FROM candidates c
     -- a drawn (manual) candidate has no run: it is cut at the zoom of the newest run over its after imagery
     JOIN LATERAL (SELECT dr.id, dr.zoom FROM detection_runs dr
                   WHERE dr.id = c.run_id OR (c.run_id IS NULL AND dr.after_imagery_id = c.after_imagery_id)
                   ORDER BY (dr.id = c.run_id) DESC, dr.id DESC LIMIT 1) r ON true
     LEFT JOIN LATERAL (SELECT ev.id, ev.actor_id, ev.at FROM candidate_events ev
                        WHERE ev.candidate_id = c.id AND ev.to_status = c.status
                        ORDER BY ev.at DESC, ev.id DESC LIMIT 1) e ON true
     WHERE (c.status = ANY($1::text[]) OR (c.status = 'dismissed' AND c.dismiss_reason = ANY($2::text[]) AND NOT c.review_pending))
       AND c.before_imagery_id IS NOT NULL AND c.after_imagery_id IS NOT NULL
       AND ($3::date IS NULL OR (coalesce(e.at, c.updated_at) AT TIME ZONE 'Asia/Shanghai')::date >= $3::date)
       AND ($4::text[] IS NULL OR c.street_code = ANY($4::text[]))
     ORDER BY c.id`,
    [rule.statuses, rule.dismissReasons, filter.since ?? null, filter.streets ?? null],
  );
  return rows;
}

export interface BackgroundTile {
  runId: number;
  zoom: number;
  x: number;
  y: number;
  beforeImageryId: number;
  afterImageryId: number;
}

/**
 * Up to `limit` tiles of the given runs that had a baseline and where no candidate of the same after imagery
 * lies at all (nothing was found there, so nothing changed as far as anyone knows), in a fixed pseudo-random
 * order: the same data gives the same sample. A tile covered by several runs of one image counts once.
 */
export async function backgroundTiles(db: Queryable, runIds: number[], limit: number): Promise<BackgroundTile[]> {
  const { rows } = await db.query<BackgroundTile>(
    `SELECT "runId", zoom, x, y, "beforeImageryId", "afterImageryId" FROM (
       SELECT DISTINCT ON (r.after_imagery_id, r.zoom, t.x, t.y) t.run_id AS "runId", r.zoom, t.x, t.y,
         t.before_imagery_id AS "beforeImageryId", r.after_imagery_id AS "afterImageryId"
       FROM detection_tiles t JOIN detection_runs r ON r.id = t.run_id
       WHERE t.run_id = ANY($1::bigint[]) AND t.before_imagery_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM candidates c WHERE c.after_imagery_id = r.after_imagery_id
                           AND c.geom && ST_Transform(ST_TileEnvelope(r.zoom, t.x, t.y), 4326))
       ORDER BY r.after_imagery_id, r.zoom, t.x, t.y, t.run_id) tiles
     ORDER BY md5("afterImageryId" || '/' || zoom || '/' || x || '/' || y), "runId"
     LIMIT $2`,
    [runIds, limit],
  );
  return rows;
}
