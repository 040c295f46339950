// Dispositions of registry items by street squads (or the office), each with a registry event.
import { insertFieldPhoto, type StoredFieldPhoto } from '../db/field-photos.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { insertRegistryEvent, lockRegistryItem, updateRegistryDisposition } from '../db/registry-items.js';
import type { User } from '../db/users.js';
import { CLOSED_OUT_STATUSES, type RegistryStatus } from '../domain.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import { canDispose, isCalendarDate, REGISTRY_TRANSITIONS, type DispositionStatus } from './rules.js';

export interface DispositionInput {
  status: DispositionStatus;
  /** YYYY-MM-DD, the day it happened (Asia/Shanghai), not in the future */
  date: string;
  areaRemovedM2?: number;
  note?: string;
}

export interface DispositionResult {
  itemId: number;
  caseNo: string;
  from: RegistryStatus;
  to: DispositionStatus;
  eventId: number;
}

const DISPOSERS = ['admin', 'office', 'squad'];

export async function recordDisposition(
  pool: Pool,
  user: User,
  itemId: number,
  input: DispositionInput,
  today: string,
): Promise<DispositionResult> {
  if (!DISPOSERS.includes(user.role)) throw new Forbidden(`role ${user.role} may not record dispositions`);
  if (!isCalendarDate(input.date)) throw new Invalid(`date must be a calendar date YYYY-MM-DD; got "${input.date}"`);
  if (input.date > today) {
    throw new Invalid(`date ${input.date} is in the future (today is ${today} in Asia/Shanghai)`, {
      code: 'disposition_date_future', params: { date: input.date, today },
    });
  }
  if (input.status === 'demolished' && input.areaRemovedM2 === undefined) {
    throw new Invalid('a demolition needs areaRemovedM2: the floor area removed, in m²', { code: 'area_removed_required' });
  }
  if (input.areaRemovedM2 !== undefined && input.status !== 'demolished' && input.status !== 'confiscated') {
    throw new Invalid(`areaRemovedM2 goes with demolished or confiscated only, not with ${input.status}`);
  }
  return withTransaction(pool, async (client) => {
    const item = await lockRegistryItem(client, itemId);
    if (!item || (user.role === 'squad' && item.streetCode !== user.streetCode)) {
      throw new NotFound(user.role === 'squad' ? `no registry item ${itemId} in street ${user.streetCode}` : `no registry item ${itemId}`);
    }
    if (!canDispose(item.status, input.status)) {
      const allowed = REGISTRY_TRANSITIONS[item.status];
      throw new Conflict(
        `registry item ${item.caseNo} is ${item.status}; ` +
          (allowed.length ? `it can only become ${allowed.join(', ')}` : 'it is already closed out'),
        { code: 'registry_transition_refused', params: { caseNo: item.caseNo } },
      );
    }
    if (input.areaRemovedM2 !== undefined && input.areaRemovedM2 > item.floorAreaM2 * 1.0001) {
      throw new Invalid(
        `areaRemovedM2 ${input.areaRemovedM2} exceeds the item's recorded floor area of ${item.floorAreaM2.toFixed(1)} m²`,
        { code: 'area_removed_too_large', params: { area: input.areaRemovedM2, floorArea: item.floorAreaM2.toFixed(1) } },
      );
    }
    const closes = CLOSED_OUT_STATUSES.includes(input.status);
    await updateRegistryDisposition(client, itemId, {
      status: input.status,
      closedOn: closes ? input.date : null,
      areaRemovedM2: input.areaRemovedM2 ?? null,
    });
    const eventId = await insertRegistryEvent(client, {
      itemId,
      actorId: user.id,
      action: 'disposition',
      fromStatus: item.status,
      toStatus: input.status,
      note: input.note?.trim() ?? '',
      data: { date: input.date, ...(input.areaRemovedM2 !== undefined ? { areaRemovedM2: input.areaRemovedM2 } : {}) },
    });
    return { itemId, caseNo: item.caseNo, from: item.status, to: input.status, eventId };
  });
}

/** Evidence photos of a registry item (its demolition, say), all or none; a squad only for its own street. */
export async function addRegistryPhotos(pool: Pool, user: User, itemId: number, photos: StoredFieldPhoto[]): Promise<number[]> {
  if (!DISPOSERS.includes(user.role)) throw new Forbidden(`role ${user.role} may not add photos to registry items`);
  for (const p of photos) {
    if ((p.lon === null) !== (p.lat === null)) throw new Invalid(`photo ${p.fileName}: give both lon and lat, or neither`);
  }
  return withTransaction(pool, async (client) => {
    const item = await lockRegistryItem(client, itemId);
    if (!item || (user.role === 'squad' && item.streetCode !== user.streetCode)) {
      throw new NotFound(user.role === 'squad' ? `no registry item ${itemId} in street ${user.streetCode}` : `no registry item ${itemId}`);
    }
    const ids: number[] = [];
    for (const p of photos) ids.push(await insertFieldPhoto(client, { ...p, candidateId: null, registryItemId: itemId, uploadedBy: user.id }));
    return ids;
  });
}
