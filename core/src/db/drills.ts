// SQL of drills (drill_sessions, drill_items; migration 012). Drills read candidates and never write them.
import type { Queryable } from './pool.js';

export interface DrillItemRow {
  position: number;
  candidateId: number;
  expected: 'change' | 'no_change';
  answer: 'change' | 'no_change' | null;
  answeredAt: string | null;
  areaM2: number;
  beforeImageryId: number | null;
  afterImageryId: number | null;
  /** the office's decision, shown once the item is answered */
  status: string;
  dismissReason: string | null;
}

export async function insertDrillSession(db: Queryable, traineeId: number, items: { candidateId: number; expected: string }[]): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO drill_sessions (trainee_id) VALUES ($1) RETURNING id', [traineeId]);
  const id = rows[0]!.id;
  await db.query(
    `INSERT INTO drill_items (session_id, position, candidate_id, expected)
     SELECT $1, n, c, e FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS u(c, e, n)`,
    [id, items.map((i) => i.candidateId), items.map((i) => i.expected)],
  );
  return id;
}

export async function findDrillSession(db: Queryable, id: number): Promise<{ id: number; traineeId: number; createdAt: string } | undefined> {
  const { rows } = await db.query<{ id: number; traineeId: number; createdAt: string }>(
    `SELECT id, trainee_id AS "traineeId", to_json(created_at)#>>'{}' AS "createdAt" FROM drill_sessions WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function drillItems(db: Queryable, sessionId: number): Promise<DrillItemRow[]> {
  const { rows } = await db.query<DrillItemRow>(
    `SELECT d.position, d.candidate_id AS "candidateId", d.expected, d.answer, to_json(d.answered_at)#>>'{}' AS "answeredAt",
       round(c.area_m2::numeric, 1) AS "areaM2", c.before_imagery_id AS "beforeImageryId", c.after_imagery_id AS "afterImageryId",
       c.status, c.dismiss_reason AS "dismissReason"
     FROM drill_items d JOIN candidates c ON c.id = d.candidate_id WHERE d.session_id = $1 ORDER BY d.position`,
    [sessionId],
  );
  return rows;
}

/** Records an answer once; false when the item was answered already (or does not exist). */
export async function answerDrillItem(db: Queryable, sessionId: number, position: number, answer: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE drill_items SET answer = $3, answered_at = now() WHERE session_id = $1 AND position = $2 AND answer IS NULL`,
    [sessionId, position, answer],
  );
  return rowCount === 1;
}

export interface TraineeSummary {
  traineeId: number;
  username: string;
  displayName: string;
  sessions: number;
  answered: number;
  correct: number;
  /** missed new buildings: answered no change where the office saw change */
  missed: number;
  /** false alarms: answered change where the office saw none */
  falseAlarms: number;
  lastAt: string | null;
}

/** Per trainee: drills taken, answers, correct ones and the two kinds of mistakes. */
export async function drillSummary(db: Queryable, traineeId?: number): Promise<TraineeSummary[]> {
  const { rows } = await db.query<TraineeSummary>(
    `SELECT u.id AS "traineeId", u.username, u.display_name AS "displayName", count(DISTINCT s.id)::int AS sessions,
       count(d.answer)::int AS answered, count(*) FILTER (WHERE d.answer = d.expected)::int AS correct,
       count(*) FILTER (WHERE d.answer = 'no_change' AND d.expected = 'change')::int AS missed,
       count(*) FILTER (WHERE d.answer = 'change' AND d.expected = 'no_change')::int AS "falseAlarms",
       to_json(max(d.answered_at))#>>'{}' AS "lastAt"
     FROM drill_sessions s JOIN users u ON u.id = s.trainee_id LEFT JOIN drill_items d ON d.session_id = s.id
     WHERE $1::bigint IS NULL OR s.trainee_id = $1
     GROUP BY u.id ORDER BY u.username`,
    [traineeId ?? null],
  );
  return rows;
}

export interface DrillCandidate {
  id: number;
  status: string;
  dismissReason: string | null;
  reviewPending: boolean;
}

/** Decided candidates with both before and after imagery: what a drill can show. */
export async function drillableCandidates(db: Queryable): Promise<DrillCandidate[]> {
  const { rows } = await db.query<DrillCandidate>(
    `SELECT id, status, dismiss_reason AS "dismissReason", review_pending AS "reviewPending" FROM candidates
     WHERE status IN ('confirmed', 'known', 'dismissed') AND before_imagery_id IS NOT NULL AND after_imagery_id IS NOT NULL
     ORDER BY id`,
  );
  return rows;
}
