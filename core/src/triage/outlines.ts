// Labels the office makes with its hands: correcting a candidate's outline, and drawing a building the model
// missed. Both are audited as candidate events; a drawn building then gets its status through the same decision
// rules as any candidate (applyDecision), so the transitions stay in one place (rules.ts).
import type pg from 'pg';
import { insertCandidateEvent, insertOutlineEvent } from '../db/candidate-events.js';
import { insertManualCandidate, lockCandidate, outlineProblem, replaceCandidateOutline } from '../db/candidates.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { User } from '../db/users.js';
import type { BuildingType } from '../domain.js';
import { Forbidden, Invalid, NotFound } from '../errors.js';
import { applyDecision, type DecisionResult, type TriageSettings } from './decide.js';

/** An outline larger than this (5 ha) is a slip of the mouse, not a building. */
export const MAX_OUTLINE_AREA_M2 = 50_000;

export type Outline = GeoJSON.Polygon | GeoJSON.MultiPolygon;

function assertOffice(user: User, what: string): void {
  if (user.role !== 'office' && user.role !== 'admin') throw new Forbidden(`only the office may ${what}`);
}

async function checkOutline(db: pg.PoolClient, geometry: unknown, what: string): Promise<void> {
  const problem = await outlineProblem(db, geometry, MAX_OUTLINE_AREA_M2);
  if (problem) throw new Invalid(`${what} cannot be used: ${problem}`);
}

/** Replaces a candidate's outline; the old one stays in the audit event. */
export async function correctOutline(pool: Pool, user: User, id: number, geometry: Outline, note = ''): Promise<{ candidateId: number; eventId: number }> {
  assertOffice(user, "correct a candidate's outline");
  return withTransaction(pool, async (client) => {
    if (!(await lockCandidate(client, id))) throw new NotFound(`no candidate ${id}`);
    await checkOutline(client, geometry, 'the corrected outline');
    const eventId = await insertOutlineEvent(client, { candidateId: id, actorId: user.id, note: note.trim() });
    await replaceCandidateOutline(client, id, geometry);
    return { candidateId: id, eventId };
  });
}

export interface DrawnBuilding {
  geometry: Outline;
  status: 'confirmed' | 'known';
  /** for known: the registry item it is; the one under the outline when left out */
  registryItemId?: number;
  buildingType?: BuildingType;
  note?: string;
  /** default: the newest ready imagery covering the outline, and the newest earlier one */
  afterImageryId?: number;
  beforeImageryId?: number;
}

/** A building the model missed, drawn by the office: a manual candidate, placed and decided like any other. */
export async function drawMissedBuilding(pool: Pool, user: User, input: DrawnBuilding, settings: TriageSettings): Promise<DecisionResult> {
  assertOffice(user, 'draw a missed building');
  if (input.status !== 'confirmed' && input.status !== 'known') {
    throw new Invalid(`a drawn building is confirmed or known, not ${String(input.status)}`);
  }
  return withTransaction(pool, async (client) => {
    await checkOutline(client, input.geometry, 'the drawn outline');
    await checkImagery(client, [input.afterImageryId, input.beforeImageryId]);
    const id = await insertManualCandidate(client, {
      geometry: input.geometry, beforeImageryId: input.beforeImageryId ?? null, afterImageryId: input.afterImageryId ?? null,
    });
    const note = input.note?.trim() ?? '';
    await insertCandidateEvent(client, {
      candidateId: id, actorId: user.id, fromStatus: null, toStatus: 'new', reason: null, note: 'drawn by hand: the model missed it',
      registryItemId: null, createdItem: false, isUndo: false, kind: 'drawn',
    });
    let registryItemId = input.registryItemId;
    if (input.status === 'known' && registryItemId === undefined) {
      registryItemId = (await lockCandidate(client, id))!.registryItemId ?? undefined;
      if (registryItemId === undefined) throw new Invalid('known needs registryItemId: no open registry item lies under the drawn outline');
    }
    return applyDecision(client, user, id, {
      status: input.status, registryItemId: input.status === 'known' ? registryItemId : undefined, buildingType: input.buildingType, note,
    }, settings);
  });
}

async function checkImagery(db: pg.PoolClient, ids: (number | undefined)[]): Promise<void> {
  for (const id of ids) {
    if (id === undefined) continue;
    const { rows } = await db.query<{ status: string }>('SELECT status FROM imagery WHERE id = $1', [id]);
    if (!rows[0]) throw new Invalid(`imagery ${id} does not exist`);
    if (rows[0].status !== 'ready') throw new Invalid(`imagery ${id} is ${rows[0].status}, not ready`);
  }
}
