// The optional second review of dismissals made by junior office users (config TRIAGE_DISMISS_REVIEW).
import { insertCandidateEvent, lastUndoableEvent } from '../db/candidate-events.js';
import { isJuniorUser, lockCandidate, updateCandidateStatus } from '../db/candidates.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { User } from '../db/users.js';
import { Conflict, Forbidden, NotFound } from '../errors.js';

export interface ReviewResult {
  candidateId: number;
  approved: boolean;
  to: 'dismissed' | 'new';
  eventId: number;
}

/**
 * Approves a pending dismissal (it stays dismissed) or sends it back to the queue (status new).
 * The reviewer must be a senior office user or an admin, and not the one who dismissed it.
 */
export async function reviewDismissal(
  pool: Pool,
  user: User,
  id: number,
  input: { approve: boolean; note?: string },
): Promise<ReviewResult> {
  if (user.role !== 'office' && user.role !== 'admin') throw new Forbidden(`role ${user.role} may not review dismissals`);
  return withTransaction(pool, async (client) => {
    if (await isJuniorUser(client, user.id)) throw new Forbidden('a junior office user may not review dismissals');
    const c = await lockCandidate(client, id);
    if (!c) throw new NotFound(`no candidate ${id}`);
    if (c.status !== 'dismissed' || !c.reviewPending) throw new Conflict(`candidate ${id} is not waiting for a review`, { code: 'review_not_pending', params: { id } });
    const last = await lastUndoableEvent(client, id);
    if (last?.actorId === user.id) {
      throw new Forbidden('the second reviewer must be someone other than the one who dismissed it');
    }
    const to = input.approve ? 'dismissed' : 'new';
    await updateCandidateStatus(client, id, {
      status: to,
      dismissReason: input.approve ? c.dismissReason : null,
      registryItemId: null,
      fieldCheckDue: c.fieldCheckDue,
      reviewPending: false,
    });
    const note = input.note?.trim() ?? '';
    const eventId = await insertCandidateEvent(client, {
      candidateId: id,
      actorId: user.id,
      fromStatus: 'dismissed',
      toStatus: to,
      reason: input.approve ? c.dismissReason : null,
      note: `${input.approve ? 'review approved' : 'review rejected'}${note ? `: ${note}` : ''}`,
      registryItemId: null,
      createdItem: false,
      isUndo: false,
    });
    return { candidateId: id, approved: input.approve, to, eventId };
  });
}
