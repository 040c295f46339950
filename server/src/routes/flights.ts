import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  findFlight,
  flightStats,
  insertFlight,
  insertFlightEvent,
  listFlights,
  unknownStreetCodes,
  updateFlight,
  type Flight,
  type FlightFields,
} from '@tuban/core/db/flights';
import { withTransaction, type Pool } from '@tuban/core/db/pool';
import { findUserById, type User } from '@tuban/core/db/users';
import { FLIGHT_PURPOSES, type Role } from '@tuban/core/domain';
import { Forbidden, Invalid, NotFound } from '@tuban/core/errors';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef } from '../schemas.js';

/** Who records sorties: pilots their own, the office and admins anyone's. */
const FLIGHT_ROLES: Role[] = ['pilot', 'office', 'admin'];
// A laptop clock a little ahead is fine; a sortie days in the future is a typo.
const FUTURE_SLACK_MS = 60 * 60 * 1000;

const StreetCode = Type.String({ pattern: '^[0-9]{9}$', description: 'statistical code of a sub-district' });
const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM, cut in Asia/Shanghai' });

const FlightSchema = Type.Object({
  id: Type.Integer(),
  pilotId: Type.Integer(),
  pilotName: Type.String(),
  droneModel: Type.String(),
  flownAt: Type.String({ format: 'date-time' }),
  purpose: Type.Enum(FLIGHT_PURPOSES),
  streetCodes: Type.Array(Type.String()),
  notes: Type.String(),
  createdBy: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const editable = {
  pilotId: Type.Integer({ minimum: 1, description: 'the pilot who flew; default: the caller' }),
  droneModel: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. DJI Mavic 3E' }),
  flownAt: Type.String({ format: 'date-time', description: 'take-off time, ISO 8601 with offset' }),
  purpose: Type.Enum(FLIGHT_PURPOSES),
  streetCodes: Type.Array(StreetCode, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'streets covered' }),
  notes: Type.String({ maxLength: 2000 }),
};

const NewFlight = Type.Object({
  pilotId: Type.Optional(editable.pilotId),
  droneModel: editable.droneModel,
  flownAt: editable.flownAt,
  purpose: editable.purpose,
  streetCodes: editable.streetCodes,
  notes: Type.Optional(editable.notes),
});

const FlightPatch = Type.Object(
  {
    pilotId: Type.Optional(editable.pilotId),
    droneModel: Type.Optional(editable.droneModel),
    flownAt: Type.Optional(editable.flownAt),
    purpose: Type.Optional(editable.purpose),
    streetCodes: Type.Optional(editable.streetCodes),
    notes: Type.Optional(editable.notes),
  },
  { minProperties: 1 },
);

const Counts = Type.Object({ sorties: Type.Integer(), pilotShifts: Type.Integer() });
const FlightStatsSchema = Type.Object({
  month: Type.String(),
  total: Counts,
  streets: Type.Array(Type.Intersect([Type.Object({ code: Type.String(), name: Type.String() }), Counts])),
});

/** A pilot may only touch their own sorties. */
function assertMayAccess(user: User, flight: Flight): void {
  if (user.role === 'pilot' && flight.pilotId !== user.id) {
    throw new Forbidden(`sortie ${flight.id} was flown by another pilot; pilots see and edit only their own`);
  }
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

export const flightRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/flights',
    {
      preHandler: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['flights'],
        summary: 'Record a sortie (架次)',
        body: NewFlight,
        response: { 201: FlightSchema, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const b = request.body;
      const fields: FlightFields = { ...b, pilotId: b.pilotId ?? user.id, notes: b.notes ?? '' };
      await checkFields(app.db, user, fields);
      const flight = await withTransaction(app.db, async (tx) => {
        const created = await insertFlight(tx, fields, user.id);
        await insertFlightEvent(tx, created.id, user.id, 'created', {});
        return created;
      });
      return reply.status(201).send(flight);
    },
  );

  app.get(
    '/api/flights',
    {
      preHandler: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['flights'],
        summary: 'Sorties, newest first; a pilot gets only their own',
        querystring: Type.Object({
          month: Type.Optional(Month),
          pilotId: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: {
          200: Type.Object({ flights: Type.Array(FlightSchema), total: Type.Integer() }),
          401: errorRef,
          403: errorRef,
        },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const q = request.query;
      if (user.role === 'pilot' && q.pilotId !== undefined && q.pilotId !== user.id) {
        throw new Forbidden("a pilot sees only their own sorties, not another pilot's");
      }
      const pilotId = user.role === 'pilot' ? user.id : q.pilotId;
      return listFlights(app.db, { pilotId, month: q.month, limit: q.limit, offset: q.offset });
    },
  );

  app.get(
    '/api/flights/stats',
    {
      preHandler: requireUser(),
      schema: {
        tags: ['flights'],
        summary: 'Sorties and pilot-shifts (飞手人次: distinct pilot × Shanghai day) of one month, per street',
        querystring: Type.Object({ month: Month, street: Type.Optional(StreetCode) }),
        response: { 200: FlightStatsSchema, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      const street = streetScope(currentUser(request), request.query.street);
      return flightStats(app.db, request.query.month, street);
    },
  );

  app.get(
    '/api/flights/:id',
    {
      preHandler: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['flights'],
        summary: 'One sortie',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: FlightSchema, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const flight = await findFlight(app.db, request.params.id);
      if (!flight) throw new NotFound(`no sortie ${request.params.id}`);
      assertMayAccess(currentUser(request), flight);
      return flight;
    },
  );

  app.patch(
    '/api/flights/:id',
    {
      preHandler: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['flights'],
        summary: 'Change fields of a sortie; every change is kept in its audit trail',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: FlightPatch,
        response: { 200: FlightSchema, 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const before = await findFlight(app.db, request.params.id);
      if (!before) throw new NotFound(`no sortie ${request.params.id}`);
      assertMayAccess(user, before);
      const old = fieldsOf(before);
      const next: FlightFields = { ...old, ...request.body };
      const changes = diff(old, next);
      if (Object.keys(changes).length === 0) return before;
      // Only re-check what changed: an old sortie keeps its pilot even if that user has left since.
      await checkFields(app.db, user, {
        ...next,
        pilotId: 'pilotId' in changes ? next.pilotId : user.id,
        streetCodes: 'streetCodes' in changes ? next.streetCodes : [],
        flownAt: 'flownAt' in changes ? next.flownAt : new Date(0).toISOString(),
      });
      return withTransaction(app.db, async (tx) => {
        const updated = await updateFlight(tx, before.id, next);
        await insertFlightEvent(tx, before.id, user.id, 'updated', changes);
        return updated;
      });
    },
  );
};
