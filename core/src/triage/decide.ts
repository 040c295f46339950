// Decisions on candidates: each one checks role, street and transition, changes the candidate and
// writes one audit event in the same transaction as any registry item it creates.
import type pg from 'pg';
import { insertCandidateEvent, lastUndoableEvent, markEventUndone } from '../db/candidate-events.js';
import { isJuniorUser, lockCandidate, updateCandidateStatus, type CandidateChange } from '../db/candidates.js';
import { withTransaction, type Pool } from '../db/pool.js';
import {
  caseNumberTaken,
  deleteRegistryItem,
  insertItemFromCandidate,
  insertRegistryEvent,
  lockRegistryItem,
  nextCaseSerial,
  registryItemExists,
} from '../db/registry-items.js';
import { streetName } from '../db/streets.js';
import type { User } from '../db/users.js';
import { BUILDING_TYPES, type BuildingType, type CandidateStatus, type DismissReason } from '../domain.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import {
  addDays,
  canTransition,
  CANDIDATE_TRANSITIONS,
  decisionRefusal,
  findingSourceOf,
  formatCaseNumber,
  isDismissReason,
  type DecisionStatus,
} from './rules.js';

export interface DecisionInput {
  status: DecisionStatus;
  reason?: string;
  registryItemId?: number;
  note?: string;
  /** building type of the registry item a confirmation creates; guessed from the place when absent */
  buildingType?: BuildingType;
}

export interface TriageSettings {
  /** Asia/Shanghai calendar date of the decision */
  today: string;
  deadlineDays: number;
  fieldCheckDays: number;
  /** dismissals by junior office users wait for a second reviewer */
  dismissReview?: boolean;
}

export interface DecisionResult {
  candidateId: number;
  from: string;
  to: DecisionStatus;
  eventId: number;
  registryItemId: number | null;
  caseNo: string | null;
  /** the squad's deadline a confirmation (registry item) or a field check set; null for other decisions */
  deadline: string | null;
  /** the street whose squad the case or the field check went to */
  streetCode: string | null;
  streetName: string | null;
}

/** Throws when the caller may not see the candidate at all: a squad only sees its own street. */
export function assertCandidateVisible(user: User, id: number, streetCode: string | null): void {
  if (user.role === 'squad' && streetCode !== user.streetCode) {
    throw new NotFound(`no candidate ${id}`);
  }
}

function checkInput(input: DecisionInput): void {
  if (input.status === 'dismissed') {
    if (!isDismissReason(input.reason)) {
      throw new Invalid('a dismissal needs a reason: legal_permit, temporary, false_positive or imagery_problem');
    }
  } else if (input.reason !== undefined) {
    throw new Invalid(`a reason goes with dismissed only, not with ${input.status}`);
  }
  if (input.status === 'known' && input.registryItemId === undefined) {
    throw new Invalid('known needs registryItemId: the registry item this candidate matches');
  }
  if (input.status !== 'known' && input.registryItemId !== undefined) {
    throw new Invalid(`registryItemId goes with known only, not with ${input.status}`);
  }
  if (input.buildingType !== undefined && !(BUILDING_TYPES as readonly string[]).includes(input.buildingType)) {
    throw new Invalid(`unknown building type ${input.buildingType}`);
  }
}

export async function newCaseNumber(client: pg.PoolClient, today: string): Promise<string> {
  const year = Number(today.slice(0, 4));
  // Skips numbers already used by items imported with the same pattern.
  for (let tries = 0; tries < 1000; tries++) {
    const caseNo = formatCaseNumber(year, await nextCaseSerial(client, year));
    if (!(await caseNumberTaken(client, caseNo))) return caseNo;
  }
  throw new Conflict(`no free case number left for ${year}`);
}

/** One decision inside a transaction the caller owns. */
export async function applyDecision(
  client: pg.PoolClient,
  user: User,
  id: number,
  input: DecisionInput,
  settings: TriageSettings,
  onlyFrom?: CandidateStatus,
): Promise<DecisionResult> {
  checkInput(input);
  const c = await lockCandidate(client, id);
  if (!c) throw new NotFound(`no candidate ${id}`);
  assertCandidateVisible(user, id, c.streetCode);
  if (onlyFrom && c.status !== onlyFrom) throw new Conflict(`candidate ${id} is ${c.status}, not ${onlyFrom}`, { code: 'candidate_changed', params: { id } });
  const refusal = decisionRefusal(user.role, c.status, input.status);
  if (refusal) throw new Forbidden(`candidate ${id}: ${refusal}`);
  if (!canTransition(c.status, input.status)) {
    const allowed = CANDIDATE_TRANSITIONS[c.status];
    throw new Conflict(
      `candidate ${id} is ${c.status}; ` +
        (allowed.length ? `it can only become ${allowed.join(', ')}` : 'that is final (undo the decision to change it)'),
      { code: 'candidate_transition_refused', params: { id } },
    );
  }
  const change: CandidateChange = {
    status: input.status,
    dismissReason: input.status === 'dismissed' ? (input.reason as DismissReason) : null,
    registryItemId: null,
    // kept after the field check, so that the squad's deadline stays on record
    fieldCheckDue: c.fieldCheckDue,
    reviewPending:
      input.status === 'dismissed' && settings.dismissReview === true && user.role === 'office' &&
      (await isJuniorUser(client, user.id)),
  };
  let caseNo: string | null = null;
  let deadline: string | null = null;
  let createdItem = false;
  const note = input.note?.trim() ?? '';
  if (input.status === 'known') {
    if (!(await registryItemExists(client, input.registryItemId!))) {
      throw new Invalid(`registry item ${input.registryItemId} does not exist`);
    }
    change.registryItemId = input.registryItemId!;
  } else if (input.status === 'confirmed') {
    if (!c.streetCode) throw new Invalid(`candidate ${id} lies outside every street; it cannot be assigned to a squad`, { code: 'candidate_outside_streets', params: { id } });
    caseNo = await newCaseNumber(client, settings.today);
    deadline = addDays(settings.today, settings.deadlineDays);
    const itemId = await insertItemFromCandidate(client, {
      candidateId: id,
      caseNo,
      buildingType: input.buildingType ?? (c.villaCompoundId ? 'villa_extension' : 'standalone'),
      source: findingSourceOf(c.afterImageryKind),
      foundOn: settings.today,
      deadline,
      notes: note,
      actorId: user.id,
    });
    await insertRegistryEvent(client, {
      itemId, actorId: user.id, action: 'created', fromStatus: null, toStatus: 'open', note, data: { candidateId: id },
    });
    change.registryItemId = itemId;
    createdItem = true;
  } else if (input.status === 'field_check') {
    if (!c.streetCode) throw new Invalid(`candidate ${id} lies outside every street; no squad can check it`, { code: 'candidate_outside_streets', params: { id } });
    change.fieldCheckDue = addDays(settings.today, settings.fieldCheckDays);
    deadline = change.fieldCheckDue;
  }
  await updateCandidateStatus(client, id, change);
  const eventId = await insertCandidateEvent(client, {
    candidateId: id,
    actorId: user.id,
    fromStatus: c.status,
    toStatus: input.status,
    reason: change.dismissReason,
    note,
    registryItemId: change.registryItemId,
    createdItem,
    isUndo: false,
  });
  return {
    candidateId: id, from: c.status, to: input.status, eventId, registryItemId: change.registryItemId, caseNo, deadline,
    streetCode: c.streetCode, streetName: c.streetCode ? await streetName(client, c.streetCode) : null,
  };
}

export async function decide(
  pool: Pool,
  user: User,
  id: number,
  input: DecisionInput,
  settings: TriageSettings,
): Promise<DecisionResult> {
  return withTransaction(pool, (client) => applyDecision(client, user, id, input, settings));
}

/** All or nothing: one refused candidate rolls back the whole batch, and the error names it. */
export async function decideMany(
  pool: Pool,
  user: User,
  ids: number[],
  input: DecisionInput,
  settings: TriageSettings,
): Promise<DecisionResult[]> {
  checkInput(input);
  // Locking in id order keeps two overlapping batches from deadlocking.
  const ordered = [...new Set(ids)].sort((a, b) => a - b);
  return withTransaction(pool, async (client) => {
    const results: DecisionResult[] = [];
    for (const id of ordered) results.push(await applyDecision(client, user, id, input, settings));
    return results;
  });
}

export interface UndoResult {
  candidateId: number;
  from: string;
  to: string;
  undoneEventId: number;
  eventId: number;
}

/**
 * Reverses the caller's own latest decision on a candidate, if nobody decided after it. A registry
 * item the decision created is removed again, unless a squad already recorded something on it.
 */
export async function undoDecision(pool: Pool, user: User, id: number): Promise<UndoResult> {
  return withTransaction(pool, async (client) => {
    const c = await lockCandidate(client, id);
    if (!c) throw new NotFound(`no candidate ${id}`);
    assertCandidateVisible(user, id, c.streetCode);
    const last = await lastUndoableEvent(client, id);
    if (!last) throw new Conflict(`candidate ${id} has no decision to undo`, { code: 'undo_nothing', params: { id } });
    if (last.actorId !== user.id) throw new Conflict(`the last decision on candidate ${id} was made by someone else`, { code: 'undo_not_yours', params: { id } });
    if (last.toStatus !== c.status) throw new Conflict(`candidate ${id} changed since that decision`, { code: 'candidate_changed', params: { id } });
    const item = last.createdItem && last.registryItemId !== null ? await lockRegistryItem(client, last.registryItemId) : null;
    if (item && (item.status !== 'open' || item.laterEvents > 0)) {
      throw new Conflict(`registry item ${item.caseNo} already has a disposition; the confirmation stands`, {
        code: 'undo_disposed', params: { caseNo: item.caseNo },
      });
    }
    const back = last.fromStatus;
    await updateCandidateStatus(client, id, {
      status: back,
      dismissReason: null,
      registryItemId: null,
      fieldCheckDue: back === 'new' ? null : c.fieldCheckDue,
      reviewPending: false,
    });
    if (item) await deleteRegistryItem(client, item.id);
    await markEventUndone(client, last.id);
    const eventId = await insertCandidateEvent(client, {
      candidateId: id, actorId: user.id, fromStatus: c.status, toStatus: back, reason: null,
      note: `undo of event ${last.id}`, registryItemId: null, createdItem: false, isUndo: true,
    });
    return { candidateId: id, from: c.status, to: back, undoneEventId: last.id, eventId };
  });
}

