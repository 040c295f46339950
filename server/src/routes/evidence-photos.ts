import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getImagery } from '@tuban/core/db/imagery';
import { listEvidencePhotosNear } from '@tuban/core/db/evidence-photos';
import { Invalid, NotFound } from '@tuban/core/errors';
import { imageryItem } from '@tuban/core/tiles/tile-store';
import { requireUser } from '../auth.js';
import { errorRef, IdParams } from '../schemas.js';
import { parseBbox } from './geodata.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const EvidencePhotoPoint = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  capturedAt: Nullable(Type.String({ format: 'date-time' })),
  lon: Type.Number(),
  lat: Type.Number(),
  altitudeM: Nullable(Type.Number()),
  altitudeRef: Nullable(Type.String()),
  camera: Nullable(Type.String()),
  yawDeg: Nullable(Type.Number()),
  pitchDeg: Nullable(Type.Number()),
  flightId: Nullable(Type.Integer()),
});

// The map asks from zoom 14 on (a few km); a bbox the size of a hemisphere is no question for metre margins.
const MAX_PHOTO_BBOX_DEG = 2;

export const evidencePhotoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const store = app.storage.tiles;

  app.get(
    '/api/imagery/:id/photo.jpg',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['imagery'],
        summary: 'The original JPEG of a ready evidence photo',
        params: IdParams,
        response: { 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const item = await getImagery(app.db, id);
      if (!item || item.kind !== 'photo') throw new NotFound(`photo ${id} does not exist`);
      if (item.status !== 'ready') throw new NotFound(`photo ${id} is not ready (status ${item.status})`);
      const data = await store.getFile(imageryItem(id), 'photo.jpg');
      if (!data) throw new NotFound(`photo ${id} has no stored original`);
      reply.header('Cache-Control', 'private, max-age=31536000, immutable');
      return reply.type('image/jpeg').send(data);
    },
  );

  app.get(
    '/api/photos',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['imagery'],
        summary: 'Ready evidence photos taken inside a bbox, or within `marginM` metres of it; newest first',
        querystring: Type.Object({
          bbox: Type.String({ description: 'west,south,east,north in EPSG:4326' }),
          marginM: Type.Number({ minimum: 0, maximum: 5000, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(EvidencePhotoPoint) }), 400: errorRef, 401: errorRef },
      },
    },
    async (request) => {
      const { bbox, marginM, limit } = request.query;
      const box = parseBbox(bbox);
      if (box[2] - box[0] > MAX_PHOTO_BBOX_DEG || box[3] - box[1] > MAX_PHOTO_BBOX_DEG) {
        throw new Invalid(`bbox ${bbox} is larger than ${MAX_PHOTO_BBOX_DEG}° across; ask for photos a district at a time`);
      }
      return { items: await listEvidencePhotosNear(app.db, box, marginM, limit) };
    },
  );
};
