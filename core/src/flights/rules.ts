// What a sortie (架次) may hold and who may record or change it; every change lands in its audit trail.
import {
  findFlight,
  insertFlight,
  insertFlightEvent,
  unknownStreetCodes,
  updateFlight,
  type Flight,
  type FlightFields,
} from '../db/flights.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { findUserById, type User } from '../db/users.js';
import type { Role } from '../domain.js';
import { Forbidden, Invalid, NotFound } from '../errors.js';

/** Who records sorties: pilots their own, the office and admins anyone's. */
export const FLIGHT_ROLES: Role[] = ['pilot', 'office', 'admin'];
// A laptop clock a little ahead is fine; a sortie days in the future is a typo.
const FUTURE_SLACK_MS = 60 * 60 * 1000;

/** A pilot may only touch their own sorties. */
export function assertMayAccess(user: User, flight: Flight): void {
  if (user.role === 'pilot' && flight.pilotId !== user.id) {
    throw new Forbidden(`sortie ${flight.id} was flown by another pilot; pilots see and edit only their own`);
  }
}

/** The sortie, or NotFound; a pilot asking for another pilot's gets Forbidden. */
export async function flightFor(db: Pool, user: User, id: number): Promise<Flight> {
  const flight = await findFlight(db, id);
  if (!flight) throw new NotFound(`no sortie ${id}`);
  assertMayAccess(user, flight);
  return flight;
}

async function checkFields(db: Pool, user: User, f: FlightFields): Promise<void> {
  if (user.role === 'pilot' && f.pilotId !== user.id) {
    throw new Forbidden('a pilot records only their own sorties');
  }
  if (f.pilotId !== user.id) {
    const pilot = await findUserById(db, f.pilotId);
    if (!pilot) throw new Invalid(`pilotId ${f.pilotId} names no active user`);
    if (pilot.role !== 'pilot') throw new Invalid(`user ${pilot.username} is not a pilot (role ${pilot.role})`);
  }
  if (Date.parse(f.flownAt) > Date.now() + FUTURE_SLACK_MS) {
    throw new Invalid(`flownAt ${f.flownAt} lies in the future`);
  }
  const unknown = await unknownStreetCodes(db, f.streetCodes);
  if (unknown.length > 0) throw new Invalid(`unknown street code(s): ${unknown.join(', ')}`);
}

/** Field -> [old, new] for every field that changed. */
function diff(before: FlightFields, after: FlightFields): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(after) as (keyof FlightFields)[]) {
    const a = key === 'flownAt' ? Date.parse(before[key]) : before[key];
    const b = key === 'flownAt' ? Date.parse(after[key]) : after[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[key] = [before[key], after[key]];
  }
  return changes;
}

const fieldsOf = (f: Flight): FlightFields => ({
  pilotId: f.pilotId,
  droneModel: f.droneModel,
  flownAt: f.flownAt,
  purpose: f.purpose,
  streetCodes: f.streetCodes,
  notes: f.notes,
});

export type NewFlightFields = Omit<FlightFields, 'pilotId' | 'notes'> & { pilotId?: number; notes?: string };

/** Records a sortie; the pilot defaults to the caller. */
export async function recordFlight(db: Pool, user: User, input: NewFlightFields): Promise<Flight> {
  const fields: FlightFields = { ...input, pilotId: input.pilotId ?? user.id, notes: input.notes ?? '' };
  await checkFields(db, user, fields);
  return withTransaction(db, async (tx) => {
    const created = await insertFlight(tx, fields, user.id);
    await insertFlightEvent(tx, created.id, user.id, 'created', {});
    return created;
  });
}

/** Changes fields of a sortie; a patch that changes nothing returns it as it was, unaudited. */
export async function changeFlight(db: Pool, user: User, id: number, patch: Partial<FlightFields>): Promise<Flight> {
  const before = await flightFor(db, user, id);
  const old = fieldsOf(before);
  const next: FlightFields = { ...old, ...patch };
  const changes = diff(old, next);
  if (Object.keys(changes).length === 0) return before;
  // Only re-check what changed: an old sortie keeps its pilot even if that user has left since.
  await checkFields(db, user, {
    ...next,
    pilotId: 'pilotId' in changes ? next.pilotId : user.id,
    streetCodes: 'streetCodes' in changes ? next.streetCodes : [],
    flownAt: 'flownAt' in changes ? next.flownAt : new Date(0).toISOString(),
  });
  return withTransaction(db, async (tx) => {
    const updated = await updateFlight(tx, before.id, next);
    await insertFlightEvent(tx, before.id, user.id, 'updated', changes);
    return updated;
  });
}
