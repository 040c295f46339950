// Labels for training, read from the office's decisions (docs/learning.md, "Labels and model versions"). The rule
// from a decided candidate to a label lives here only; the training-set export uses it too.
import type { Queryable } from '../db/pool.js';
import type { CandidateStatus, DismissReason } from '../domain.js';
import { Invalid } from '../errors.js';
import { isCalendarDate } from '../triage/rules.js';

export type Label = 'change' | 'no_change';

/**
 * What a final decision says about the imagery: confirmed and known candidates, and those dismissed as legal or
 * temporary, are real new structures (change, with their outline); a false positive is no change in its footprint.
 * Imagery problems, open candidates, field checks and dismissals still waiting for a second reviewer teach nothing.
 */
export function labelOf(status: CandidateStatus, reason: DismissReason | null, reviewPending = false): Label | null {
  if (status === 'confirmed' || status === 'known') return 'change';
  if (status !== 'dismissed' || reviewPending) return null;
  if (reason === 'false_positive') return 'no_change';
  if (reason === 'legal_permit' || reason === 'temporary') return 'change';
  return null;
}

export interface LabelledCandidate {
  candidateId: number;
  source: 'detection' | 'manual';
  geometry: GeoJSON.MultiPolygon;
  label: Label;
  status: CandidateStatus;
  dismissReason: DismissReason | null;
  streetCode: string | null;
  /** who made the decision that stands, and when */
  decidedBy: { id: number; username: string };
  decidedAt: string;
  /** the audit event of that decision */
  decisionEventId: number;
  beforeImageryId: number | null;
  afterImageryId: number | null;
}

export interface LabelFilter {
  /** decided on or after this instant (ISO 8601) or calendar date (Asia/Shanghai) */
  since?: string;
  /** street codes */
  streets?: string[];
}

function sinceInstant(since: string | undefined): string | null {
  if (since === undefined) return null;
  if (isCalendarDate(since)) return `${since}T00:00:00+08:00`;
  if (Number.isNaN(Date.parse(since))) throw new Invalid(`since must be a date YYYY-MM-DD or an ISO 8601 instant; got "${since}"`);
  return since;
}

/** Every candidate whose standing decision gives a label, oldest candidate first. */
export async function listLabels(db: Queryable, filter: LabelFilter = {}): Promise<LabelledCandidate[]> {
  const { rows } = await db.query<Omit<LabelledCandidate, 'label'> & { reviewPending: boolean }>(
    `SELECT c.id AS "candidateId", c.source, ST_AsGeoJSON(c.geom, 7)::json AS geometry, c.status,
       c.dismiss_reason AS "dismissReason", c.review_pending AS "reviewPending", c.street_code AS "streetCode",
       json_build_object('id', u.id, 'username', u.username) AS "decidedBy", to_json(e.at)#>>'{}' AS "decidedAt",
       e.id AS "decisionEventId", c.before_imagery_id AS "beforeImageryId", c.after_imagery_id AS "afterImageryId"
     FROM candidates c
     JOIN LATERAL (SELECT ev.id, ev.at, ev.actor_id FROM candidate_events ev
                   WHERE ev.candidate_id = c.id AND ev.kind = 'decision' AND NOT ev.is_undo AND NOT ev.undone AND ev.to_status = c.status
                   ORDER BY ev.at DESC, ev.id DESC LIMIT 1) e ON true
     JOIN users u ON u.id = e.actor_id
     WHERE c.status IN ('confirmed', 'known', 'dismissed')
       AND ($1::timestamptz IS NULL OR e.at >= $1) AND ($2::text[] IS NULL OR c.street_code = ANY ($2))
     ORDER BY c.id`,
    [sinceInstant(filter.since), filter.streets ?? null],
  );
  const labels: LabelledCandidate[] = [];
  for (const { reviewPending, ...row } of rows) {
    const label = labelOf(row.status, row.dismissReason, reviewPending);
    if (label) labels.push({ ...row, label });
  }
  return labels;
}
