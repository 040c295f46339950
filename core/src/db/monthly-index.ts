// The rows the monthly index counts, read for one month; the arithmetic lives in monthly-index/compute.ts.
import type { IndexDecision, IndexFlight, IndexInputs, IndexItem } from '../monthly-index/compute.js';
import type { MonthBounds } from '../monthly-index/month.js';
import { listAnnualTargets } from './annual-targets.js';
import { monthCoverageByStreet } from './coverage.js';
import { monthIndexComplaints } from './complaints.js';
import type { Queryable } from './pool.js';

/**
 * Items that any number of the month can count: new violations found, due or annotated in the month, and
 * items of any origin closed out in it (only close-out counts stock items). An item without a deadline is due
 * `defaultDeadlineDays` after it was found.
 */
export async function monthIndexItems(db: Queryable, b: MonthBounds, defaultDeadlineDays: number): Promise<IndexItem[]> {
  const { rows } = await db.query<IndexItem>(
    `WITH ids AS (
       SELECT id FROM registry_items WHERE origin = 'new' AND found_on >= $1::date AND found_on < $2::date
       UNION SELECT id FROM registry_items WHERE closed_on >= $1::date AND closed_on < $2::date
       UNION SELECT id FROM registry_items WHERE origin = 'new' AND deadline >= $1::date AND deadline < $2::date
       UNION SELECT id FROM registry_items WHERE origin = 'new' AND deadline IS NULL
         AND found_on >= $1::date - $3::int AND found_on < $2::date - $3::int
       UNION SELECT item_id FROM registry_events WHERE to_status = 'annotated' AND at >= $4 AND at < $5)
     SELECT r.id, r.street_code AS "streetCode", r.source, r.origin, r.status, r.floor_area_m2 AS "floorAreaM2",
       r.area_removed_m2 AS "areaRemovedM2", to_char(r.found_on, 'YYYY-MM-DD') AS "foundOn",
       to_char(r.deadline, 'YYYY-MM-DD') AS deadline, to_char(r.closed_on, 'YYYY-MM-DD') AS "closedOn",
       to_char((SELECT min(e.at) FROM registry_events e WHERE e.item_id = r.id AND e.to_status = 'annotated')
         AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "annotatedOn"
     FROM ids JOIN registry_items r USING (id)
     ORDER BY r.id`,
    [b.firstDay, b.nextFirstDay, defaultDeadlineDays, b.start, b.end],
  );
  return rows;
}

/** Candidates whose first decision (confirmed, known or dismissed; a field check is not one) fell in the month. */
export async function monthIndexDecisions(db: Queryable, b: MonthBounds): Promise<IndexDecision[]> {
  const { rows } = await db.query<IndexDecision>(
    `WITH touched AS (
       SELECT DISTINCT candidate_id FROM candidate_events
       WHERE at >= $1 AND at < $2 AND to_status IN ('confirmed', 'known', 'dismissed')),
     first AS (
       SELECT e.candidate_id, min(e.at) AS at FROM candidate_events e JOIN touched t USING (candidate_id)
       WHERE e.to_status IN ('confirmed', 'known', 'dismissed') GROUP BY e.candidate_id)
     SELECT c.id AS "candidateId", c.street_code AS "streetCode", c.created_at AS "detectedAt", f.at AS "decidedAt"
     FROM first f JOIN candidates c ON c.id = f.candidate_id
     WHERE f.at >= $1 AND f.at < $2 ORDER BY c.id`,
    [b.start, b.end],
  );
  return rows;
}

export async function monthIndexFlights(db: Queryable, b: MonthBounds): Promise<IndexFlight[]> {
  const { rows } = await db.query<IndexFlight>(
    `SELECT id, pilot_id AS "pilotId", flown_at AS "flownAt", street_codes AS "streetCodes"
     FROM flights WHERE flown_at >= $1 AND flown_at < $2 ORDER BY id`,
    [b.start, b.end],
  );
  return rows;
}

/** Floor area closed out (销项) from 1 January through the end of the month, per street. */
export async function ytdClosedOutByStreet(db: Queryable, b: MonthBounds): Promise<Record<string, number>> {
  const { rows } = await db.query<{ street: string; m2: number }>(
    `SELECT street_code AS street, sum(floor_area_m2)::float8 AS m2 FROM registry_items
     WHERE status IN ('demolished', 'legalized', 'confiscated') AND closed_on >= $1::date AND closed_on < $2::date
     GROUP BY street_code`,
    [`${b.year}-01-01`, b.nextFirstDay],
  );
  return Object.fromEntries(rows.map((r) => [r.street, r.m2]));
}

export async function indexStreets(db: Queryable): Promise<{ code: string; name: string }[]> {
  const { rows } = await db.query<{ code: string; name: string }>('SELECT code, name FROM streets ORDER BY code');
  return rows;
}

export async function loadIndexInputs(db: Queryable, b: MonthBounds, defaultDeadlineDays: number): Promise<IndexInputs> {
  const [streets, items, decisions, flights, ytd, targets, coverage, complaints] = await Promise.all([
    indexStreets(db),
    monthIndexItems(db, b, defaultDeadlineDays),
    monthIndexDecisions(db, b),
    monthIndexFlights(db, b),
    ytdClosedOutByStreet(db, b),
    listAnnualTargets(db, b.year),
    monthCoverageByStreet(db, b),
    monthIndexComplaints(db, b.firstDay, b.nextFirstDay, b.start, b.end),
  ]);
  return {
    bounds: b,
    streets,
    items,
    decisions,
    flights,
    ytdClosedOutM2: ytd,
    targets: Object.fromEntries(targets.map((t) => [t.scope, t.targetM2])),
    coverage,
    complaints,
  };
}
