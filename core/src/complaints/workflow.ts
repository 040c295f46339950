// What people do with a complaint: place it on the map, dispatch it to its street's squad, close it as true
// (属实, linked to a registry case) or untrue (不属实). Each step checks who and from which status, changes the
// complaint and writes its event in one transaction.
import type pg from 'pg';
import {
  insertComplaintEvent,
  insertItemFromComplaint,
  lockComplaint,
  setComplaintClosed,
  setComplaintDispatched,
  setComplaintPosition,
  streetAt,
  type ComplaintForUpdate,
} from '../db/complaints.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { insertRegistryEvent, registryItemExists } from '../db/registry-items.js';
import type { User } from '../db/users.js';
import type { BuildingType, ComplaintCrs, ComplaintStatus, ComplaintUntrueReason, ComplaintViolation } from '../domain.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { newCaseNumber } from '../triage/decide.js';
import { addDays, isCalendarDate } from '../triage/rules.js';
import { insideShanghai, toWgs84 } from './place.js';

/** A squad sees the complaints dispatched to its street; everyone else sees all. */
export function complaintVisible(user: User, c: { status: ComplaintStatus; streetCode: string | null }): boolean {
  return user.role !== 'squad' || (c.streetCode === user.streetCode && ['dispatched', 'true', 'untrue'].includes(c.status));
}

async function lockVisible(client: pg.PoolClient, user: User, id: number): Promise<ComplaintForUpdate> {
  const c = await lockComplaint(client, id);
  if (!c || !complaintVisible(user, c)) throw new NotFound(`no complaint ${id}`);
  return c;
}

function wrongStatus(c: ComplaintForUpdate, action: string): Conflict {
  return new Conflict(`complaint ${c.number} is ${c.status}; it cannot be ${action}`, {
    code: 'complaint_wrong_status',
    params: { number: c.number, status: c.status, action },
  });
}

export interface PlaceInput {
  lon: number;
  lat: number;
  crs: ComplaintCrs;
}

export async function placeComplaint(pool: Pool, user: User, id: number, input: PlaceInput) {
  return withTransaction(pool, async (client) => {
    const c = await lockVisible(client, user, id);
    if (c.status !== 'received' && c.status !== 'placed') throw wrongStatus(c, 'placed');
    const [lon, lat] = toWgs84([input.lon, input.lat], input.crs);
    if (!insideShanghai([lon, lat])) {
      throw new Invalid(`${input.lon},${input.lat} lies outside Shanghai`, { code: 'complaint_point_outside_shanghai', params: { value: `${input.lon},${input.lat}` } });
    }
    const streetCode = await streetAt(client, lon, lat);
    await setComplaintPosition(client, id, { lon, lat, streetCode });
    await insertComplaintEvent(client, {
      complaintId: id, actorId: user.id, action: 'placed', fromStatus: c.status, toStatus: c.status === 'received' ? 'placed' : c.status,
      note: '', data: { lon, lat, crs: input.crs, streetCode, ...(c.lon !== null ? { previous: [c.lon, c.lat] } : {}) },
    });
    return { id, status: 'placed' as const, lon, lat, streetCode };
  });
}

export async function dispatchComplaint(pool: Pool, user: User, id: number, input: { deadline?: string; note?: string }) {
  return withTransaction(pool, async (client) => {
    const c = await lockVisible(client, user, id);
    if (c.status !== 'placed') throw wrongStatus(c, 'dispatched');
    if (!c.streetCode) {
      throw new Invalid(`complaint ${c.number} lies in no street of the district: no squad can take it`, {
        code: 'complaint_no_street', params: { number: c.number },
      });
    }
    const deadline = input.deadline ?? c.deadline;
    if (!deadline) throw new Invalid(`complaint ${c.number} has no deadline: give one`, { code: 'complaint_no_deadline', params: { number: c.number } });
    if (!isCalendarDate(deadline)) throw new Invalid(`deadline "${deadline}" is not a date (YYYY-MM-DD)`);
    await setComplaintDispatched(client, id, deadline);
    await insertComplaintEvent(client, {
      complaintId: id, actorId: user.id, action: 'dispatched', fromStatus: 'placed', toStatus: 'dispatched',
      note: input.note?.trim() ?? '', data: { streetCode: c.streetCode, deadline },
    });
    return { id, status: 'dispatched' as const, streetCode: c.streetCode, deadline };
  });
}

export interface CloseInput {
  verdict: 'true' | 'untrue';
  violation?: ComplaintViolation;
  registryItemId?: number;
  /** floor area of a new violation's registry item, m² (its outline starts as a square of that area) */
  areaM2?: number;
  buildingType?: BuildingType;
  reason?: ComplaintUntrueReason;
  reply: string;
}

function checkClose(input: CloseInput): void {
  const bad = (message: string, field: string) => new Invalid(message, { code: 'complaint_close_field', params: { field } });
  if (!input.reply.trim()) throw bad('a reply text to the caller is required', 'reply');
  if (input.verdict === 'untrue') {
    if (!input.reason) throw bad('不属实 needs a reason', 'reason');
    if (input.violation || input.registryItemId !== undefined || input.areaM2 !== undefined) throw bad('不属实 takes no violation', 'violation');
    return;
  }
  if (input.reason) throw bad('a reason goes with 不属实 only', 'reason');
  if (input.violation === 'existing' && input.registryItemId === undefined) throw bad('an existing violation needs its registry item', 'registryItemId');
  if (input.violation === 'new' && !(input.areaM2! > 0)) throw bad('a new violation needs its floor area', 'areaM2');
  if (!input.violation) throw bad('属实 needs the violation: new or existing', 'violation');
}

export interface CloseSettings {
  /** Asia/Shanghai date of the closing */
  today: string;
  /** deadline of a new violation's registry case when the complaint carries none */
  deadlineDays: number;
}

export async function closeComplaint(pool: Pool, user: User, id: number, input: CloseInput, settings: CloseSettings) {
  checkClose(input);
  return withTransaction(pool, async (client) => {
    const c = await lockVisible(client, user, id);
    const open: ComplaintStatus[] = user.role === 'squad' ? ['dispatched'] : ['placed', 'dispatched'];
    if (!open.includes(c.status)) throw wrongStatus(c, 'closed');
    const reply = input.reply.trim();
    let registryItemId: number | null = null;
    let caseNo: string | null = null;
    if (input.verdict === 'true' && input.violation === 'existing') {
      if (!(await registryItemExists(client, input.registryItemId!))) {
        throw new Invalid(`registry item ${input.registryItemId} does not exist`, {
          code: 'complaint_unknown_registry_item', params: { id: input.registryItemId! },
        });
      }
      registryItemId = input.registryItemId!;
    } else if (input.verdict === 'true') {
      if (!c.streetCode) throw new Invalid(`complaint ${c.number} lies in no street of the district`, { code: 'complaint_no_street', params: { number: c.number } });
      caseNo = await newCaseNumber(client, settings.today);
      registryItemId = await insertItemFromComplaint(client, {
        complaintId: id, caseNo, streetCode: c.streetCode, areaM2: input.areaM2!, buildingType: input.buildingType ?? 'standalone',
        foundOn: settings.today, deadline: addDays(settings.today, settings.deadlineDays), notes: `12345 ${c.number}`, actorId: user.id,
      });
      await insertRegistryEvent(client, {
        itemId: registryItemId, actorId: user.id, action: 'created', fromStatus: null, toStatus: 'open', note: reply,
        data: { complaintId: id, complaintNumber: c.number },
      });
    }
    const status = input.verdict;
    await setComplaintClosed(client, id, {
      status, violation: input.violation ?? null, registryItemId, untrueReason: input.reason ?? null, reply,
    });
    await insertComplaintEvent(client, {
      complaintId: id, actorId: user.id, action: 'closed', fromStatus: c.status, toStatus: status, note: reply,
      data: { violation: input.violation ?? null, registryItemId, caseNo, reason: input.reason ?? null },
    });
    return { id, status, registryItemId, caseNo };
  });
}
