// Labels for training, read from the office's decisions (docs/learning.md, "Labels and model versions"). The rule
// from a decided candidate to a label lives here only; the training-set export and the drills use it too, and the
// district's validation split is chosen here.
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { CandidateStatus, DismissReason } from '../domain.js';
import { Invalid } from '../errors.js';
import { isCalendarDate } from '../triage/rules.js';

export type Label = 'change' | 'no_change';

/** Statuses that say a building really appeared here (a field check that confirms ends `confirmed`). */
export const CHANGE_STATUSES: readonly CandidateStatus[] = ['confirmed', 'known'];

/**
 * What each dismissal reason says about the pixels. A permitted or a temporary building is still a new structure
 * (the model finds structures, the office decides what they mean); a false positive is no change in its footprint;
 * an imagery problem says nothing reliable either way.
 */
export const DISMISSAL_LABEL: Readonly<Record<DismissReason, Label | null>> = {
  legal_permit: 'change',
  temporary: 'change',
  false_positive: 'no_change',
  imagery_problem: null,
};

export const dismissalsLabelled = (label: Label): DismissReason[] =>
  (Object.entries(DISMISSAL_LABEL) as [DismissReason, Label | null][]).filter(([, l]) => l === label).map(([r]) => r);

/**
 * The label a decided candidate gives (change with its outline, or no change in its footprint), or null when its
 * decision teaches nothing: open candidates, field checks, imagery problems, dismissals waiting for a second reviewer.
 */
export function labelOf(status: CandidateStatus, reason: DismissReason | null, reviewPending = false): Label | null {
  if (CHANGE_STATUSES.includes(status)) return 'change';
  if (status !== 'dismissed' || reviewPending || !reason) return null;
  return DISMISSAL_LABEL[reason];
}

/** The share of decisions kept out of training as the district's own validation set. */
export const VALIDATION_SHARE = 0.2;

/**
 * A stable position in [0, 1) for a key: the first four bytes of its SHA-256. The same key lands in the same
 * split in every export, whatever else changed, so a validation decision is never trained on later.
 */
export function stableFraction(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

export type Split = 'train' | 'val';

export const candidateSplit = (candidateId: number): Split =>
  stableFraction(`candidate:${candidateId}`) < VALIDATION_SHARE ? 'val' : 'train';

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
