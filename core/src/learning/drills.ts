// Drills for people: decided candidates replayed to a trainee as before/after crops with no answer shown; each
// answer (new building or no change) is scored against the office's decision, by the same rule that makes
// training labels (labelOf). Drills only read candidates: no real case changes.
import { randomInt } from 'node:crypto';
import type { CandidateStatus, DismissReason } from '../domain.js';
import {
  answerDrillItem,
  drillableCandidates,
  drillItems,
  drillSummary,
  findDrillSession,
  insertDrillSession,
  type DrillItemRow,
  type TraineeSummary,
} from '../db/drills.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { User } from '../db/users.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import { labelOf, type Label } from './labels.js';

export const DRILL_ANSWERS = ['change', 'no_change'] as const;
export const MAX_DRILL_SIZE = 50;

export interface DrillItem {
  position: number;
  candidateId: number;
  areaM2: number;
  hasBefore: boolean;
  hasAfter: boolean;
  answer: Label | null;
  /** only once answered: what the office decided, and whether the answer matches it */
  expected: Label | null;
  correct: boolean | null;
  officeStatus: string | null;
  officeDismissReason: string | null;
}

export interface Drill {
  id: number;
  traineeId: number;
  createdAt: string;
  items: DrillItem[];
  answered: number;
  correct: number;
}

function assertTrainee(user: User): void {
  if (user.role !== 'office' && user.role !== 'admin') throw new Forbidden('drills are for the demolition office (office and admin)');
}

function itemView(row: DrillItemRow): DrillItem {
  const answered = row.answer !== null;
  return {
    position: row.position,
    candidateId: row.candidateId,
    areaM2: row.areaM2,
    hasBefore: row.beforeImageryId !== null,
    hasAfter: row.afterImageryId !== null,
    answer: row.answer,
    expected: answered ? row.expected : null,
    correct: answered ? row.answer === row.expected : null,
    officeStatus: answered ? row.status : null,
    officeDismissReason: answered ? row.dismissReason : null,
  };
}

/** Shuffled picks of `n` out of `list` (Fisher–Yates on a copy). */
function sample<T>(list: T[], n: number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** A new drill of `size` decided candidates, in random order, for the caller. */
export async function startDrill(pool: Pool, user: User, size = 10): Promise<Drill> {
  assertTrainee(user);
  if (!Number.isInteger(size) || size < 1 || size > MAX_DRILL_SIZE) throw new Invalid(`a drill has 1 to ${MAX_DRILL_SIZE} items; got ${size}`);
  const labelled = (await drillableCandidates(pool)).flatMap((c) => {
    const expected = labelOf(c.status as CandidateStatus, c.dismissReason as DismissReason | null, c.reviewPending);
    return expected ? [{ candidateId: c.id, expected }] : [];
  });
  if (labelled.length === 0) throw new Conflict('no decided candidate with before and after imagery to drill on yet');
  const id = await withTransaction(pool, (client) => insertDrillSession(client, user.id, sample(labelled, size)));
  return drillOf(pool, user, id);
}

/** A drill as its trainee sees it; the office's decisions show only on answered items. */
export async function drillOf(pool: Pool, user: User, id: number): Promise<Drill> {
  const session = await findDrillSession(pool, id);
  if (!session) throw new NotFound(`no drill ${id}`);
  if (session.traineeId !== user.id) throw new Forbidden(`drill ${id} is another trainee's`);
  const items = (await drillItems(pool, id)).map(itemView);
  return {
    ...session,
    items,
    answered: items.filter((i) => i.answer !== null).length,
    correct: items.filter((i) => i.correct === true).length,
  };
}

/** Scores one answer against the office's decision; an item is answered once. */
export async function answerDrill(pool: Pool, user: User, id: number, position: number, answer: string): Promise<DrillItem> {
  if (!(DRILL_ANSWERS as readonly string[]).includes(answer)) throw new Invalid(`an answer is change or no_change; got "${answer}"`);
  const drill = await drillOf(pool, user, id);
  const item = drill.items.find((i) => i.position === position);
  if (!item) throw new NotFound(`drill ${id} has no item ${position}`);
  if (!(await answerDrillItem(pool, id, position, answer))) throw new Conflict(`item ${position} of drill ${id} is answered already`);
  return (await drillOf(pool, user, id)).items.find((i) => i.position === position)!;
}

/** Per trainee, for the office: drills taken, answers, correct ones, missed buildings and false alarms. */
export async function drillTraineeSummary(pool: Pool, user: User): Promise<TraineeSummary[]> {
  assertTrainee(user);
  return drillSummary(pool);
}
