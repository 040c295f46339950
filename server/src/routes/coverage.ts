import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cellFreshness } from '@tuban/core/db/coverage';
import { listReflySuggestions } from '@tuban/core/db/refly';
import { streetFreshness } from '@tuban/core/coverage/freshness';
import { refreshedSuggestions } from '@tuban/core/coverage/refly';
import { DEFAULT_REFLY_RULES, REFLY_KINDS } from '@tuban/core/coverage/rules';
import { suggestionsGeoJson, suggestionsKml, suggestionsKmz } from '@tuban/core/coverage/suggestion-files';
import { NotFound } from '@tuban/core/errors';
import { FLIGHT_ROLES } from '@tuban/core/flights/rules';
import { currentUser, requireUser } from '../auth.js';
import { errorRef } from '../schemas.js';

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Geometry = Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Any()) });
const StaleDays = Type.Integer({ minimum: 1, maximum: 3650, description: 'days after which imagery counts as stale' });

const CellFeature = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Geometry,
  properties: Type.Object({
    streetCode: Type.String(),
    streetName: Type.String(),
    x: Type.Integer(),
    y: Type.Integer(),
    areaM2: Type.Number(),
    imageryId: NullableInt,
    imagedAt: NullableString,
    daysSince: NullableInt,
  }),
});

const StreetRow = Type.Object({
  streetCode: Type.String(),
  streetName: Type.String(),
  cells: Type.Integer(),
  neverFlown: Type.Integer(),
  stale: Type.Integer(),
  newestAt: NullableString,
  medianDaysSince: Type.Union([Type.Number(), Type.Null()]),
  maxDaysSince: NullableInt,
  neverFlownCells: Type.Array(Type.String()),
});

const Suggestion = Type.Object({
  id: Type.Integer(),
  rank: NullableInt,
  kind: Type.Enum([...REFLY_KINDS]),
  subject: Type.String(),
  streetCode: NullableString,
  streetName: NullableString,
  areaM2: Type.Number(),
  needsAfter: Type.String({ format: 'date-time' }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
  status: Type.Enum(['open', 'done']),
  doneImageryId: NullableInt,
  doneAt: NullableString,
  geometry: Geometry,
});
const SuggestionList = Type.Object({ asOf: Type.String({ format: 'date-time' }), suggestions: Type.Array(Suggestion) });

const ExportQuery = Type.Object({
  ids: Type.String({ pattern: '^[0-9]{1,12}(,[0-9]{1,12}){0,199}$', description: 'comma-separated suggestion ids' }),
  altitude: Type.Number({ minimum: 20, maximum: 500, default: 100, description: 'flight height above take-off, m' }),
  frontOverlap: Type.Integer({ minimum: 10, maximum: 95, default: 80, description: 'front (along-track) overlap, %' }),
  sideOverlap: Type.Integer({ minimum: 10, maximum: 95, default: 70, description: 'side (across-track) overlap, %' }),
  speed: Type.Number({ minimum: 1, maximum: 15, default: 10, description: 'flight speed, m/s' }),
});

const FORMATS = {
  geojson: { type: 'application/geo+json', ext: 'geojson' },
  kml: { type: 'application/vnd.google-earth.kml+xml', ext: 'kml' },
  kmz: { type: 'application/vnd.google-earth.kmz', ext: 'kmz' },
} as const;

export const coverageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/coverage/cells',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['coverage'],
        summary: 'Freshness map: every z15 cell piece of the district with its newest covering imagery (GeoJSON)',
        response: { 200: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(CellFeature) }), 401: errorRef },
      },
    },
    async (_request, reply) => {
      const cells = await cellFreshness(app.db, new Date());
      // plain JSON like every other API answer (its schema says so); the GeoJSON download is the export route
      return reply.send({
        type: 'FeatureCollection',
        features: cells.map(({ geometry, ...properties }) => ({ type: 'Feature', geometry, properties })),
      });
    },
  );

  app.get(
    '/api/coverage/streets',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['coverage'],
        summary: 'Per street: cells, never flown, stale, newest imagery and days since',
        querystring: Type.Object({ staleDays: Type.Optional(StaleDays) }),
        response: { 200: Type.Object({ asOf: Type.String(), staleDays: Type.Integer(), streets: Type.Array(StreetRow) }), 400: errorRef, 401: errorRef },
      },
    },
    async (request) => {
      const asOf = new Date();
      const staleDays = request.query.staleDays ?? DEFAULT_REFLY_RULES.staleDays;
      return { asOf: asOf.toISOString(), staleDays, streets: streetFreshness(await cellFreshness(app.db, asOf), staleDays) };
    },
  );

  app.get(
    '/api/refly-suggestions',
    {
      preValidation: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['coverage'],
        summary: 'Re-fly suggestions as last worked out: open ones ranked, then those done in the last 30 days',
        response: { 200: SuggestionList, 401: errorRef, 403: errorRef },
      },
    },
    async () => {
      const asOf = new Date();
      return { asOf: asOf.toISOString(), suggestions: await listReflySuggestions(app.db, asOf) };
    },
  );

  app.post(
    '/api/refly-suggestions/refresh',
    {
      preValidation: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['coverage'],
        summary: 'Work the re-fly suggestions out again from coverage, the registry, field checks and villa compounds',
        body: Type.Optional(
          Type.Object({
            staleDays: Type.Optional(StaleDays),
            rebuildWatchDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'days after a demolition or confiscation to watch for a rebuild' })),
          }),
        ),
        response: { 200: SuggestionList, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      const asOf = new Date();
      const rules = { ...DEFAULT_REFLY_RULES, ...request.body };
      return { asOf: asOf.toISOString(), suggestions: await refreshedSuggestions(app.db, asOf, rules) };
    },
  );

  app.get(
    '/api/refly-suggestions/export/:format',
    {
      preValidation: requireUser(...FLIGHT_ROLES),
      schema: {
        tags: ['coverage'],
        summary: 'Chosen suggestions as GeoJSON, KML, or a DJI WPML wayline KMZ (mapping missions DJI Pilot 2 opens)',
        params: Type.Object({ format: Type.Enum(['geojson', 'kml', 'kmz']) }),
        querystring: ExportQuery,
        response: { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const ids = [...new Set(request.query.ids.split(',').map(Number))];
      const asOf = new Date();
      const list = await listReflySuggestions(app.db, asOf, { ids, doneWithinDays: 36500 });
      const missing = ids.find((id) => !list.some((s) => s.id === id));
      if (missing !== undefined) throw new NotFound(`re-fly suggestion ${missing} does not exist`, { code: 'refly_suggestion_not_found', params: { id: missing } });
      const q = request.query;
      const format = FORMATS[request.params.format];
      const stamp = asOf.toISOString().slice(0, 10);
      const title = `重飞建议 ${stamp}`;
      const body =
        request.params.format === 'geojson' ? JSON.stringify(suggestionsGeoJson(list))
          : request.params.format === 'kml' ? suggestionsKml(list, title)
            : await suggestionsKmz(list, { altitudeM: q.altitude, frontOverlap: q.frontOverlap, sideOverlap: q.sideOverlap, speedMs: q.speed, marginM: 20 }, asOf, currentUser(request).displayName);
      return reply
        .type(format.type)
        .header('content-disposition', `attachment; filename="refly-${stamp}.${format.ext}"`)
        .send(body);
    },
  );
};
