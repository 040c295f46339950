import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { flightStats, listFlights } from '@tuban/core/db/flights';
import { FLIGHT_PURPOSES } from '@tuban/core/domain';
import { Forbidden } from '@tuban/core/errors';
import { changeFlight, FLIGHT_ROLES, flightFor, recordFlight } from '@tuban/core/flights/rules';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef, IdParams, MonthSchema as Month } from '../schemas.js';

const StreetCode = Type.String({ pattern: '^[0-9]{9}$', description: 'statistical code of a sub-district' });

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

export const flightRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/flights',
    {
      preValidation: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['flights'],
        summary: 'Record a sortie (架次)',
        body: NewFlight,
        response: { 201: FlightSchema, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request, reply) => {
      const flight = await recordFlight(app.db, currentUser(request), request.body);
      return reply.status(201).send(flight);
    },
  );

  app.get(
    '/api/flights',
    {
      preValidation: requireUser(...FLIGHT_ROLES),
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
      preValidation: requireUser(),
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
      preValidation: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['flights'],
        summary: 'One sortie',
        params: IdParams,
        response: { 200: FlightSchema, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => flightFor(app.db, currentUser(request), request.params.id),
  );

  app.patch(
    '/api/flights/:id',
    {
      preValidation: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['flights'],
        summary: 'Change fields of a sortie; every change is kept in its audit trail',
        params: IdParams,
        body: FlightPatch,
        response: { 200: FlightSchema, 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => changeFlight(app.db, currentUser(request), request.params.id, request.body),
  );
};
