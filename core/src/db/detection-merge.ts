import type { Queryable } from './pool.js';

// Share of the smaller polygon that must overlap for two polygons to count as the same place.
export const SAME_PLACE_OVERLAP = 0.2;

/**
 * Where an outline `g` lies, for every new candidate, detected or drawn: its street (by a point inside it), the
 * villa compound it overlaps most, the open or annotated registry item it covers (`open_item`) and the
 * demolished or confiscated one (`removed_item`), each counted when they share `overlap` of the smaller polygon.
 */
export const placeColumns = (g: string, overlap: string): string => `
  (SELECT s.code FROM streets s WHERE ST_Intersects(s.geom, ST_PointOnSurface(${g})) ORDER BY s.code LIMIT 1) AS street,
  (SELECT v.id FROM villa_compounds v WHERE ST_Intersects(v.geom, ${g})
   ORDER BY ST_Area(ST_Intersection(v.geom, ${g})) DESC, v.id LIMIT 1) AS villa,
  (SELECT r.id FROM registry_items r WHERE r.status IN ('open', 'annotated') AND ST_Intersects(r.geom, ${g})
     AND ST_Area(ST_Intersection(r.geom, ${g})) >= ${overlap} * least(ST_Area(r.geom), ST_Area(${g}))
   ORDER BY ST_Area(ST_Intersection(r.geom, ${g})) DESC, r.id LIMIT 1) AS open_item,
  (SELECT r.id FROM registry_items r WHERE r.status IN ('demolished', 'confiscated') AND ST_Intersects(r.geom, ${g})
     AND ST_Area(ST_Intersection(r.geom, ${g})) >= ${overlap} * least(ST_Area(r.geom), ST_Area(${g}))
   ORDER BY r.closed_on DESC, r.id LIMIT 1) AS removed_item`;

/**
 * Turns a run's parts into candidates, once: parts that touch across tile borders are unioned,
 * outlines simplified by half a pixel, small blobs dropped (a lower floor inside villa compounds),
 * and each candidate gets its street, villa compound, registry link and earlier decisions:
 * - over an open or annotated registry item: linked to it (the office will likely mark it known);
 * - over a demolished or confiscated item with no open one: raised as new with the rebuilt flag;
 * - over a spot dismissed earlier as legal (permit): recorded as dismissed with the same reason and
 *   linked to that decision, not raised again.
 * Runs in the caller's transaction; the run row lock makes a second call a no-op.
 */
export async function mergeRunCandidates(db: Queryable, runId: number): Promise<number> {
  const { rows: runs } = await db.query<{ status: string; candidates_found: number | null }>(
    'SELECT status, candidates_found FROM detection_runs WHERE id = $1 FOR UPDATE',
    [runId],
  );
  const run = runs[0];
  if (!run) throw new Error(`no detection run ${runId}`);
  if (run.status === 'done') return run.candidates_found ?? 0;

  const { rowCount } = await db.query(
    `WITH run AS (SELECT * FROM detection_runs WHERE id = $1),
     clustered AS (
       SELECT ST_ClusterDBSCAN(geom, 0, 1) OVER () AS cid, geom, pixels, score_sum, score_max, before_imagery_id
       FROM candidate_parts WHERE run_id = $1),
     merged AS (
       SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(ST_UnaryUnion(ST_Collect(geom)),
                0.5 * 360.0 / (256 * 2 ^ (SELECT zoom FROM run)))), 3)) AS geom,
              sum(score_sum) / sum(pixels) AS score_mean, max(score_max) AS score_max,
              mode() WITHIN GROUP (ORDER BY before_imagery_id) AS before_id
       FROM clustered GROUP BY cid),
     placed AS (
       SELECT m.*, ST_Area(m.geom::geography) AS area, ${placeColumns('m.geom', '$2')},
         (SELECT c.id FROM candidates c WHERE c.run_id IS DISTINCT FROM $1 AND c.status = 'dismissed' AND c.dismiss_reason = 'legal_permit'
            AND ST_Intersects(c.geom, m.geom)
            AND ST_Area(ST_Intersection(c.geom, m.geom)) >= $2 * least(ST_Area(c.geom), ST_Area(m.geom))
          ORDER BY c.id DESC LIMIT 1) AS legal_before
       FROM merged m WHERE NOT ST_IsEmpty(m.geom)),
     kept AS (
       SELECT p.* FROM placed p, run
       WHERE p.area >= CASE WHEN p.villa IS NOT NULL THEN run.villa_min_area_m2 ELSE run.min_area_m2 END),
     inserted AS (
       INSERT INTO candidates (run_id, geom, status, dismiss_reason, score_mean, score_max, model_version, street_code,
         villa_compound_id, registry_item_id, rebuilt, before_imagery_id, after_imagery_id, previous_candidate_id)
       SELECT $1, k.geom,
         CASE WHEN k.legal_before IS NOT NULL AND k.removed_item IS NULL THEN 'dismissed' ELSE 'new' END,
         CASE WHEN k.legal_before IS NOT NULL AND k.removed_item IS NULL THEN 'legal_permit' END,
         least(k.score_mean, 1), least(k.score_max, 1), run.model_version, k.street, k.villa,
         coalesce(k.open_item, k.removed_item), k.open_item IS NULL AND k.removed_item IS NOT NULL,
         k.before_id, run.after_imagery_id, k.legal_before
       FROM kept k, run
       ORDER BY ST_YMax(k.geom) DESC, ST_XMin(k.geom)
       RETURNING id, status, previous_candidate_id),
     events AS (
       INSERT INTO candidate_events (candidate_id, actor_id, from_status, to_status, reason, note)
       SELECT i.id, run.created_by, NULL, 'dismissed', 'legal_permit',
         'automatic: same place as candidate #' || i.previous_candidate_id || ', dismissed earlier as legal'
       FROM inserted i, run WHERE i.status = 'dismissed')
     SELECT id FROM inserted`,
    [runId, SAME_PLACE_OVERLAP],
  );
  const found = rowCount ?? 0;
  await db.query(
    `UPDATE detection_runs SET status = 'done', candidates_found = $2, finished_at = now() WHERE id = $1`,
    [runId, found],
  );
  return found;
}
