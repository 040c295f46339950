import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findUploadRecord, listUploads } from '@tuban/core/db/uploads';
import { Forbidden, NotFound } from '@tuban/core/errors';
import { currentUser, requireUser } from '../auth.js';
import { errorRef, ErrorParamsSchema } from '../schemas.js';
import { openUploadStorage } from '../uploads/upload-storage.js';
import { IngestEvents } from '../uploads/ingest-events.js';
import { UPLOAD_ROLES, UploadService, mayTouch } from '../uploads/upload-service.js';
import { imageryEventRoutes } from './imagery-events.js';

const TUS_PATH = '/api/uploads';
const SWEEP_EVERY_MS = 60 * 60 * 1000;

const UploadState = Type.Object({
  uploadId: Type.String(),
  fileName: Type.String(),
  sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
  offset: Type.Integer(),
  imageryId: Type.Union([Type.Integer(), Type.Null()]),
  duplicate: Type.Boolean(),
  status: Type.Enum(['uploading', 'uploaded', 'ingesting', 'ready', 'failed']),
});

/**
 * Resumable uploads over tus at /api/uploads (pilot, office, admin), the state of one upload, the
 * sweep of abandoned partial uploads, and the live ingest events of imagery.
 */
export const uploadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const maxAgeMs = app.config.UPLOAD_EXPIRY_HOURS * 3600 * 1000;
  const storage = await openUploadStorage(app.storage.objects, maxAgeMs);
  const events = new IngestEvents(app.redis, app.queues.prefix);
  const service = new UploadService({ db: app.db, storage, maxBytes: app.config.UPLOAD_MAX_BYTES, queues: app.queues, path: TUS_PATH });

  const sweep = () =>
    storage.sweep(maxAgeMs).then(
      (removed) => (typeof removed === 'number' ? removed : removed.length) > 0 && app.log.info({ removed }, 'removed abandoned uploads'),
      (err: unknown) => app.log.error({ err }, 'sweeping abandoned uploads failed'),
    );
  const timer = setInterval(sweep, Math.min(SWEEP_EVERY_MS, maxAgeMs)).unref();
  app.addHook('onReady', async () => void sweep());
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await events.close();
  });

  // tus reads the request body itself: a parser that leaves the stream alone, only in this scope.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
    const refuseTooLarge = async (request: FastifyRequest, reply: FastifyReply) => {
      const declared = Number(request.headers['upload-length']);
      if (request.method === 'POST' && declared > app.config.UPLOAD_MAX_BYTES) {
        return reply.status(413).send({ error: { code: 'too_large', message: service.tooLargeMessage(declared) } });
      }
    };
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      await service.handle(request.raw, reply.raw, currentUser(request));
    };
    for (const url of [TUS_PATH, `${TUS_PATH}/:id`]) {
      scope.route({
        method: ['POST', 'HEAD', 'PATCH', 'DELETE'],
        url,
        exposeHeadRoute: false,
        preValidation: requireUser(...UPLOAD_ROLES),
        preHandler: refuseTooLarge,
        schema: { hide: true },
        handler,
      });
    }
  });

  const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
  app.get(
    TUS_PATH,
    {
      preValidation: requireUser(...UPLOAD_ROLES),
      schema: {
        tags: ['uploads'],
        summary: "Finished uploads, newest first (a pilot's own; everybody's for office and admin), with their ingest and detection",
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({
              uploadId: Type.String(), fileName: Type.String(), sizeBytes: Type.Integer(), imageryId: Type.Integer(),
              duplicate: Type.Boolean(), finishedAt: Type.String({ format: 'date-time' }),
              status: Type.Enum(['uploaded', 'ingesting', 'ready', 'failed']),
              error: Nullable(Type.String()), errorCode: Nullable(Type.String()), errorParams: Nullable(ErrorParamsSchema),
              outsideDistrictM: Nullable(Type.Number({ description: 'metres outside the district: not detected until an admin accepts it' })),
              acceptedAt: Nullable(Type.String({ format: 'date-time' })),
              detectionError: Nullable(Type.String({ description: 'why automatic detection did not run (English)' })),
              detectionErrorCode: Nullable(Type.String()), detectionErrorParams: Nullable(ErrorParamsSchema),
              runId: Nullable(Type.Integer({ description: 'the newest detection run over this imagery' })),
              runStatus: Nullable(Type.String()), runError: Nullable(Type.String()),
              runErrorCode: Nullable(Type.String()), runErrorParams: Nullable(ErrorParamsSchema), candidatesFound: Nullable(Type.Integer()),
            })),
          }),
          401: errorRef,
          403: errorRef,
        },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return { items: await listUploads(app.db, user.role === 'pilot' ? user.id : null, request.query.limit) };
    },
  );

  app.get(
    `${TUS_PATH}/:id`,
    {
      preValidation: requireUser(...UPLOAD_ROLES),
      exposeHeadRoute: false,
      schema: {
        tags: ['uploads'],
        summary:
          'State of one tus upload; once complete, which imagery it became (or duplicated). The tus protocol itself ' +
          '(POST/HEAD/PATCH/DELETE on /api/uploads) is documented in docs/uploads.md',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }),
        response: { 200: UploadState, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { id } = request.params;
      const record = await findUploadRecord(app.db, id);
      if (record) {
        if (!mayTouch(user, String(record.userId))) throw new Forbidden(`upload ${id} belongs to another user`);
        const r = await service.resultOf(record);
        return { ...r, fileName: record.fileName, sizeBytes: record.sizeBytes, offset: record.sizeBytes };
      }
      const upload = await service.store.getUpload(id).catch(() => undefined);
      if (!upload) throw new NotFound(`no upload ${id}`);
      if (!mayTouch(user, upload.metadata?.userId)) throw new Forbidden(`upload ${id} belongs to another user`);
      const base = { uploadId: id, fileName: upload.metadata?.filename ?? '', sizeBytes: upload.size ?? null, offset: upload.offset };
      if (upload.size === undefined || upload.offset < upload.size) {
        return { ...base, imageryId: null, duplicate: false, status: 'uploading' as const };
      }
      // Complete but never recorded (the server stopped while hashing): finish it now.
      const r = await service.finish(id);
      return { ...base, imageryId: r.imageryId, duplicate: r.duplicate, status: r.status };
    },
  );

  await app.register(imageryEventRoutes, { events });
};
