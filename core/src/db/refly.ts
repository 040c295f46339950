// Re-fly suggestions: worked out from coverage, the registry, field checks and villa compounds; kept open
// until imagery covers them (see migration 018 and docs/coverage.md).
import { TIME_ZONE } from '../domain.js';
import { COVERED_SHARE, REFLY_KINDS, type ReflyKind, type ReflyRules } from '../coverage/rules.js';
import { CELL_PIECES } from './coverage.js';
import type { Queryable } from './pool.js';

export interface ReflySuggestion {
  id: number;
  /** 1 for the most urgent open suggestion; null once done */
  rank: number | null;
  kind: ReflyKind;
  subject: string;
  streetCode: string | null;
  streetName: string | null;
  areaM2: number;
  /** ISO 8601: imagery captured at or after this settles it */
  needsAfter: string;
  /** What the reason is worded from: `days` (waiting, or since last seen; null = never), case number, cell, … */
  params: Record<string, string | number | null>;
  status: 'open' | 'done';
  doneImageryId: number | null;
  doneAt: string | null;
  geometry: GeoJSON.MultiPolygon;
}

const AS_DAY = `(($1::timestamptz AT TIME ZONE '${TIME_ZONE}')::date)`;
const DAYS_SINCE = (at: string) => `floor(extract(epoch FROM ($1::timestamptz - ${at})) / 86400)::int`;

// Each kind's places that still need imagery as of $1 ($2 covered share, $3 stale days, $4 rebuild-watch days,
// $5 look-every days, $6 the start of the month in Shanghai).
const WANTED = `
  ${CELL_PIECES},
  wanted AS (
    SELECT 'stale_cell'::text AS kind, p.x || '/' || p.y || '/' || p.street AS subject, p.street AS street_code, p.geom,
      $1::timestamptz - make_interval(days => $3) AS needs_after,
      jsonb_build_object('cell', '15/' || p.x || '/' || p.y, 'days', ${DAYS_SINCE('n.imaged_at')}) AS params
    FROM pieces p LEFT JOIN LATERAL newest_imagery_covering(p.geom, $2) n ON true
    WHERE n.imaged_at IS NULL OR n.imaged_at < $1::timestamptz - make_interval(days => $3)
    UNION ALL
    SELECT 'rebuild_watch', r.id::text, r.street_code, r.geom, w.after,
      jsonb_build_object('caseNo', r.case_no, 'status', r.status, 'closedOn', to_char(r.closed_on, 'YYYY-MM-DD'),
        'days', ${AS_DAY} - r.closed_on)
    FROM registry_items r
    CROSS JOIN LATERAL (SELECT greatest(r.closed_on::timestamp AT TIME ZONE '${TIME_ZONE}',
                                        $1::timestamptz - make_interval(days => $5)) AS after) w
    WHERE r.status IN ('demolished', 'confiscated') AND r.closed_on >= ${AS_DAY} - $4::int
      AND NOT EXISTS (SELECT 1 FROM newest_imagery_covering(r.geom, $2, w.after))
    UNION ALL
    SELECT 'field_check', c.id::text, c.street_code, c.geom, f.at,
      jsonb_build_object('candidateId', c.id, 'due', to_char(c.field_check_due, 'YYYY-MM-DD'), 'days', ${DAYS_SINCE('f.at')})
    FROM candidates c
    CROSS JOIN LATERAL (SELECT coalesce(max(e.at), c.updated_at) AS at FROM candidate_events e
                        WHERE e.candidate_id = c.id AND e.to_status = 'field_check') f
    WHERE c.status = 'field_check' AND NOT EXISTS (SELECT 1 FROM newest_imagery_covering(c.geom, $2, f.at))
    UNION ALL
    SELECT 'villa_unseen', v.id::text, v.street_code, v.geom, $6::timestamptz,
      jsonb_build_object('name', v.name, 'days', ${DAYS_SINCE('n.imaged_at')})
    FROM villa_compounds v LEFT JOIN LATERAL newest_imagery_covering(v.geom, $2) n ON true
    WHERE n.imaged_at IS NULL OR n.imaged_at < $6::timestamptz)`;

/**
 * Brings the open suggestions up to date: adds what needs imagery now, updates what still does, and removes
 * open ones that no longer do (a field check decided, a cell flown partly by other imagery). Done ones stay.
 */
export async function refreshReflySuggestions(
  db: Queryable,
  asOf: Date,
  monthStart: Date,
  rules: ReflyRules,
): Promise<{ open: number; removed: number }> {
  const { rows } = await db.query<{ open: number; removed: number }>(
    `WITH ${WANTED},
     upserted AS (
       INSERT INTO refly_suggestions AS s (kind, subject, street_code, geom, needs_after, reason_params)
       SELECT kind, subject, street_code, geom, needs_after, params FROM wanted
       ON CONFLICT (kind, subject) WHERE status = 'open' DO UPDATE SET
         street_code = EXCLUDED.street_code, geom = EXCLUDED.geom, needs_after = EXCLUDED.needs_after,
         reason_params = EXCLUDED.reason_params, updated_at = now()
       RETURNING s.id),
     removed AS (
       DELETE FROM refly_suggestions WHERE status = 'open' AND id NOT IN (SELECT id FROM upserted) RETURNING id)
     SELECT (SELECT count(*) FROM upserted)::int AS open, (SELECT count(*) FROM removed)::int AS removed`,
    [asOf, COVERED_SHARE, rules.staleDays, rules.rebuildWatchDays, rules.rebuildLookEveryDays, monthStart],
  );
  return rows[0]!;
}

/**
 * Marks done every open suggestion that ready imagery captured at or after its `needs_after` now covers,
 * naming that imagery. With `imageryId`, only suggestions that imagery's footprint touches are looked at.
 */
export async function closeCoveredSuggestions(db: Queryable, imageryId: number | null = null): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE refly_suggestions s SET status = 'done', done_imagery_id = n.imagery_id, done_at = now(), updated_at = now()
     FROM refly_suggestions o CROSS JOIN LATERAL newest_imagery_covering(o.geom, $1, o.needs_after) n
     WHERE s.id = o.id AND o.status = 'open'
       AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM imagery i WHERE i.id = $2 AND i.footprint && o.geom))
     RETURNING s.id::int AS id`,
    [COVERED_SHARE, imageryId],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

const PRIORITY = `CASE s.kind ${REFLY_KINDS.map((k, i) => `WHEN '${k}' THEN ${i}`).join(' ')} END`;

/**
 * Open suggestions ranked (kind by kind in REFLY_KINDS order, then longest waiting or never seen first), then
 * those done in the last `doneWithinDays` days. `ids` narrows to a chosen set (an export).
 */
export async function listReflySuggestions(
  db: Queryable,
  asOf: Date,
  options: { ids?: number[]; doneWithinDays?: number } = {},
): Promise<ReflySuggestion[]> {
  const { rows } = await db.query<ReflySuggestion>(
    `WITH ranked AS (
       SELECT s.*, CASE WHEN s.status = 'open' THEN row_number() OVER (
         PARTITION BY s.status = 'open' ORDER BY ${PRIORITY}, (s.reason_params->>'days')::int DESC NULLS FIRST, s.area_m2 DESC, s.id) END AS rank
       FROM refly_suggestions s
       WHERE s.status = 'open' OR s.done_at >= $1::timestamptz - make_interval(days => $2))
     SELECT r.id::int, r.rank::int, r.kind, r.subject, r.street_code AS "streetCode", st.name AS "streetName",
       round(r.area_m2::numeric, 1)::float8 AS "areaM2", to_json(r.needs_after)#>>'{}' AS "needsAfter",
       r.reason_params AS params, r.status, r.done_imagery_id::int AS "doneImageryId",
       to_json(r.done_at)#>>'{}' AS "doneAt", ST_AsGeoJSON(r.geom, 7)::json AS geometry
     FROM ranked r LEFT JOIN streets st ON st.code = r.street_code
     WHERE $3::bigint[] IS NULL OR r.id = ANY ($3)
     ORDER BY r.status = 'done', r.rank, r.done_at DESC, r.id`,
    [asOf, options.doneWithinDays ?? 30, options.ids ?? null],
  );
  return rows;
}
