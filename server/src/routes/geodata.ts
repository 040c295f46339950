import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hotspotsFeatureCollection } from '@tuban/core/db/hotspots';
import { registryPage } from '@tuban/core/db/registry';
import { streetExists, streetsFeatureCollection } from '@tuban/core/db/streets';
import { REGISTRY_STATUSES } from '@tuban/core/domain';
import { Invalid, NotFound } from '@tuban/core/errors';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { FeatureCollectionSchema, errorRef } from '../schemas.js';

const StreetCode = Type.String({ pattern: '^[0-9]{9}$', description: 'statistical code of a sub-district, e.g. 310107005' });
const MAX_PAGE = 1000;

export function parseBbox(text: string): [number, number, number, number] {
  const parts = text.split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw new Invalid(`bbox must be four numbers west,south,east,north; got "${text}"`);
  }
  const [w, s, e, n] = parts as [number, number, number, number];
  if (w < -180 || e > 180 || s < -90 || n > 90) throw new Invalid(`bbox ${text} is outside lon/lat range (EPSG:4326)`);
  if (w >= e || s >= n) throw new Invalid(`bbox ${text} is empty: west must be < east and south < north`);
  return [w, s, e, n];
}

export const geodataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/streets',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['geodata'],
        summary: 'The sub-districts (街道/镇) as a GeoJSON FeatureCollection',
        response: { 200: FeatureCollectionSchema, 401: errorRef },
      },
    },
    async () => streetsFeatureCollection(app.db),
  );

  app.get(
    '/api/registry',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['geodata'],
        summary: 'Items of the unlicensed-building registry (无证建筑数据库) as GeoJSON, paged',
        querystring: Type.Object({
          bbox: Type.Optional(Type.String({ description: 'west,south,east,north in EPSG:4326' })),
          street: Type.Optional(StreetCode),
          status: Type.Optional(Type.Enum(REGISTRY_STATUSES)),
          limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 500 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: {
          200: Type.Intersect([
            FeatureCollectionSchema,
            Type.Object({ total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
          ]),
          400: errorRef,
          401: errorRef,
          403: errorRef,
          404: errorRef,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const street = streetScope(currentUser(request), q.street);
      if (q.street && !(await streetExists(app.db, q.street))) throw new NotFound(`no street with code ${q.street}`);
      const bbox = q.bbox === undefined ? undefined : parseBbox(q.bbox);
      const page = await registryPage(app.db, { bbox, street, status: q.status, limit: q.limit, offset: q.offset });
      return { ...page.collection, total: page.total, limit: q.limit, offset: q.offset };
    },
  );

  app.get(
    '/api/hotspots',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['geodata'],
        summary: 'Villa compounds (别墅违建 hotspots) with villa items counted per 三个一批 category and status',
        querystring: Type.Object({ street: Type.Optional(StreetCode) }),
        response: { 200: FeatureCollectionSchema, 401: errorRef, 403: errorRef },
      },
    },
    async (request) => hotspotsFeatureCollection(app.db, streetScope(currentUser(request), request.query.street)),
  );
};
