import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { imageryTimeline } from '@tuban/core/db/imagery-timeline';
import { IMAGERY_STATUSES, acceptImagery, getImagery, listImagery, setDetectionProblem, type Imagery } from '@tuban/core/db/imagery';
import { replanDetection } from '@tuban/core/jobs/detection-jobs';
import { Conflict, Invalid, NotFound } from '@tuban/core/errors';
import { isValidTile } from '@tuban/core/geo/tiles';
import { readImageryTile, tileMimeType, tileUrlExtension } from '@tuban/core/tiles/tile-format';
import { imageryItem } from '@tuban/core/tiles/tile-store';
import { currentUser, requireUser } from '../auth.js';
import { errorRef, ErrorParamsSchema, IdParams } from '../schemas.js';
import { parseBbox } from './geodata.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Geometry = Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) });

const ImagerySchema = Type.Object({
  id: Type.Integer(),
  flightId: Nullable(Type.Integer()),
  kind: Type.String(),
  status: Type.Enum(IMAGERY_STATUSES),
  error: Nullable(Type.String({ description: 'why ingest failed, for the pilot (English)' })),
  errorCode: Nullable(Type.String({ description: 'the same as a stable code, for the web to word' })),
  errorParams: Nullable(ErrorParamsSchema),
  outsideDistrictM: Nullable(Type.Number({ description: 'metres from the district to the footprint, when it lies outside: not detected automatically' })),
  acceptedAt: Nullable(Type.String({ format: 'date-time', description: 'when an admin accepted imagery from outside the district for detection' })),
  fileName: Type.String(),
  sha256: Type.String(),
  sizeBytes: Type.Integer(),
  capturedAt: Nullable(Type.String({ format: 'date-time' })),
  crs: Nullable(Type.String({ description: 'source CRS, e.g. EPSG:4549' })),
  gsdM: Nullable(Type.Number({ description: 'ground sample distance, metres per pixel' })),
  widthPx: Nullable(Type.Integer()),
  heightPx: Nullable(Type.Integer()),
  bands: Type.Unknown(),
  minZoom: Nullable(Type.Integer()),
  maxZoom: Nullable(Type.Integer()),
  tileFormat: Nullable(Type.String()),
  tileCount: Nullable(Type.Integer()),
  footprint: Nullable(Geometry),
  extent: Nullable(Geometry),
  position: Nullable(Geometry),
  altitudeM: Nullable(Type.Number({ description: 'photos: altitude in metres, measured from altitudeRef' })),
  altitudeRef: Nullable(Type.String({ description: "photos: 'takeoff' (above the take-off point) or 'gps' (EXIF GPSAltitude as written)" })),
  camera: Nullable(Type.String()),
  yawDeg: Nullable(Type.Number()),
  pitchDeg: Nullable(Type.Number()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  ingestedAt: Nullable(Type.String({ format: 'date-time' })),
});

const IMMUTABLE = 'private, max-age=31536000, immutable';

export const imageryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const store = app.storage.tiles;
  const readyItem = async (id: number): Promise<Imagery> => {
    const item = await getImagery(app.db, id);
    if (!item) throw new NotFound(`imagery ${id} does not exist`);
    if (item.status !== 'ready') throw new NotFound(`imagery ${id} is not ready (status ${item.status})`);
    return item;
  };

  app.get(
    '/api/imagery/:id',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['imagery'],
        summary: 'One imagery item: status, error, footprint (GeoJSON), GSD, CRS, capture time, size, zooms',
        params: IdParams,
        response: { 200: ImagerySchema, 401: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const item = await getImagery(app.db, request.params.id);
      if (!item) throw new NotFound(`imagery ${request.params.id} does not exist`);
      return item;
    },
  );

  app.get(
    '/api/imagery',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['imagery'],
        summary: 'Imagery items, newest capture first, optionally those whose footprint meets a bbox',
        querystring: Type.Object({
          bbox: Type.Optional(Type.String({ description: 'west,south,east,north in EPSG:4326' })),
          status: Type.Optional(Type.Enum(IMAGERY_STATUSES)),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(ImagerySchema) }), 400: errorRef, 401: errorRef },
      },
    },
    async (request) => {
      const { bbox, status, limit } = request.query;
      return { items: await listImagery(app.db, { bbox: bbox ? parseBbox(bbox) : undefined, status, limit }) };
    },
  );

  app.get(
    '/api/imagery/timeline',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['imagery'],
        summary: 'Ready imagery by capture date (Asia/Shanghai), oldest first, with the share of each street the day covers',
        response: {
          200: Type.Object({
            days: Type.Array(Type.Object({
              date: Nullable(Type.String({ description: 'YYYY-MM-DD; null for imagery without a capture time' })),
              imagery: Type.Array(Type.Object({
                id: Type.Integer(),
                fileName: Type.String(),
                capturedAt: Nullable(Type.String({ format: 'date-time' })),
                tileFormat: Nullable(Type.String()),
                minZoom: Nullable(Type.Integer()),
                maxZoom: Nullable(Type.Integer()),
                footprint: Geometry,
              })),
              districtPercent: Type.Number({ description: 'share of the district the day covers, 0–100' }),
              streets: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), percent: Type.Number() })),
              bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
            })),
          }),
          401: errorRef,
        },
      },
    },
    async () => ({ days: await imageryTimeline(app.db) }),
  );

  app.post(
    '/api/imagery/:id/accept',
    {
      preValidation: requireUser('admin'),
      schema: {
        tags: ['imagery'],
        summary: 'Accept imagery from outside the district for detection (admin): its detection is planned now',
        params: IdParams,
        response: { 200: Type.Object({ imageryId: Type.Integer(), accepted: Type.Literal(true) }), 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request) => {
      const id = request.params.id;
      const item = await getImagery(app.db, id);
      if (!item) throw new NotFound(`imagery ${id} does not exist`);
      if (item.outsideDistrictM === null) throw new Conflict(`imagery ${id} lies in the district; there is nothing to accept`);
      if (item.acceptedAt === null) await acceptImagery(app.db, id, currentUser(request).id);
      await setDetectionProblem(app.db, id, null);
      if (item.status === 'ready') await replanDetection(app.queues, id, currentUser(request).id);
      return { imageryId: id, accepted: true as const };
    },
  );

  app.get(
    '/api/imagery/:id/thumbnail.webp',
    {
      preValidation: requireUser(),
      schema: { tags: ['imagery'], summary: 'A small WebP preview of a ready item', params: IdParams, response: { 401: errorRef, 404: errorRef } },
    },
    async (request, reply) => {
      await readyItem(request.params.id);
      const data = await store.getFile(imageryItem(request.params.id), 'thumbnail.webp');
      if (!data) throw new NotFound(`imagery ${request.params.id} has no thumbnail`);
      reply.header('Cache-Control', IMMUTABLE);
      return reply.type('image/webp').send(data);
    },
  );

  app.get(
    '/tiles/imagery/:id/:z/:x/:y.:ext',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['tiles'],
        summary: 'A 256 px Web Mercator tile of one imagery item; 204 where the item has no data',
        params: Type.Object({
          id: Type.Integer({ minimum: 1 }),
          z: Type.Integer({ minimum: 0, maximum: 24 }),
          x: Type.Integer({ minimum: 0 }),
          y: Type.Integer({ minimum: 0 }),
          ext: Type.Enum(['jpg', 'webp', 'png']),
        }),
        response: { 204: Type.Null({ description: 'no data in this tile' }), 400: errorRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const { id, z, x, y, ext } = request.params;
      if (!isValidTile({ z, x, y })) throw new Invalid(`tile ${z}/${x}/${y} is outside the grid`);
      const item = await readyItem(id);
      const format = item.tileFormat ?? 'webp';
      if (tileUrlExtension(format) !== ext) throw new NotFound(`imagery ${id} has ${format} tiles: ask for .${tileUrlExtension(format)}, not .${ext}`);
      // Tiles of an item never change once it is ready (a re-ingest gives nothing new to a cached tile's place).
      reply.header('Cache-Control', IMMUTABLE);
      const tile = await readImageryTile(store, id, { z, x, y }, format);
      if (!tile) return reply.status(204).send(null);
      return reply.type(tileMimeType(tile.ext)).send(tile.data);
    },
  );
};
