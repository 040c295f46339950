import type { CandidateStatus } from '../domain.js';
import type { Queryable } from './pool.js';

export interface NewCandidateEvent {
  candidateId: number;
  actorId: number;
  /** null for a building drawn by hand */
  fromStatus: CandidateStatus | null;
  toStatus: CandidateStatus;
  reason: string | null;
  note: string;
  registryItemId: number | null;
  createdItem: boolean;
  isUndo: boolean;
  /** 'decision' (the default) changes the status; 'drawn' records a building drawn by hand (from no status to new) */
  kind?: 'decision' | 'drawn';
}

export async function insertCandidateEvent(db: Queryable, e: NewCandidateEvent): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO candidate_events (candidate_id, actor_id, from_status, to_status, reason, note, registry_item_id,
       created_item, is_undo, kind)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [e.candidateId, e.actorId, e.fromStatus, e.toStatus, e.reason, e.note, e.registryItemId, e.createdItem, e.isUndo, e.kind ?? 'decision'],
  );
  return rows[0]!.id;
}

/** Records an outline correction, keeping the candidate's current outline in the event; call before replacing it. */
export async function insertOutlineEvent(db: Queryable, e: { candidateId: number; actorId: number; note: string }): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO candidate_events (candidate_id, actor_id, from_status, to_status, note, kind, previous_geom)
     SELECT c.id, $2, c.status, c.status, $3, 'outline', c.geom FROM candidates c WHERE c.id = $1 RETURNING id`,
    [e.candidateId, e.actorId, e.note],
  );
  return rows[0]!.id;
}

export interface UndoableEvent {
  id: number;
  actorId: number;
  fromStatus: CandidateStatus;
  toStatus: CandidateStatus;
  registryItemId: number | null;
  createdItem: boolean;
}

/** The latest decision on a candidate that has not been undone (undo events themselves do not count). */
export async function lastUndoableEvent(db: Queryable, candidateId: number): Promise<UndoableEvent | undefined> {
  const { rows } = await db.query<UndoableEvent>(
    `SELECT id, actor_id AS "actorId", from_status AS "fromStatus", to_status AS "toStatus",
       registry_item_id AS "registryItemId", created_item AS "createdItem"
     FROM candidate_events WHERE candidate_id = $1 AND kind = 'decision' AND NOT is_undo AND NOT undone
     ORDER BY at DESC, id DESC LIMIT 1`,
    [candidateId],
  );
  return rows[0];
}

export async function markEventUndone(db: Queryable, eventId: number): Promise<void> {
  await db.query('UPDATE candidate_events SET undone = true WHERE id = $1', [eventId]);
}

export interface CandidateEvent {
  id: number;
  at: string;
  actorId: number;
  actorName: string;
  actorRole: string;
  fromStatus: CandidateStatus | null;
  toStatus: CandidateStatus;
  reason: string | null;
  note: string;
  registryItemId: number | null;
  caseNo: string | null;
  isUndo: boolean;
  undone: boolean;
  kind: 'decision' | 'outline' | 'drawn';
  /** the outline before an outline correction */
  previousGeometry: GeoJSON.MultiPolygon | null;
}

/** The audit trail of one candidate, oldest first. */
export async function candidateHistory(db: Queryable, candidateId: number): Promise<CandidateEvent[]> {
  const { rows } = await db.query<CandidateEvent>(
    `SELECT e.id, e.at, e.actor_id AS "actorId", u.display_name AS "actorName", u.role AS "actorRole",
       e.from_status AS "fromStatus", e.to_status AS "toStatus", e.reason, e.note,
       e.registry_item_id AS "registryItemId", r.case_no AS "caseNo", e.is_undo AS "isUndo", e.undone,
       e.kind, ST_AsGeoJSON(e.previous_geom, 7)::json AS "previousGeometry"
     FROM candidate_events e JOIN users u ON u.id = e.actor_id LEFT JOIN registry_items r ON r.id = e.registry_item_id
     WHERE e.candidate_id = $1 ORDER BY e.at, e.id`,
    [candidateId],
  );
  return rows;
}
