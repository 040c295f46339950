import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findExport, insertExportUnlessPending, listExports, type ExportRecord } from '@tuban/core/db/exports';
import { withTransaction } from '@tuban/core/db/pool';
import { exportFileKey } from '@tuban/core/monthly-index/build-export';
import { enqueueMonthlyExport } from '@tuban/core/jobs/export-jobs';
import { parseMonth } from '@tuban/core/monthly-index/month';
import { NotFound } from '@tuban/core/errors';
import { currentUser, requireUser } from '../auth.js';
import { errorRef, IdParams } from '../schemas.js';

const ExportFileSchema = Type.Object({
  name: Type.String(),
  format: Type.Enum(['xlsx', 'csv', 'geojson', 'pdf']),
  bytes: Type.Integer(),
  sha256: Type.String(),
  url: Type.String(),
});
const ExportSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  month: Type.String(),
  status: Type.Enum(['queued', 'running', 'done', 'failed']),
  error: Type.Union([Type.String(), Type.Null()]),
  requestedBy: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  files: Type.Array(ExportFileSchema),
});
const MIME: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json',
  pdf: 'application/pdf',
};
// Exports hold every street's numbers: the office, admins and leadership (viewer) read them, squads do not.
const READERS = ['admin', 'office', 'viewer'] as const;

function present(e: ExportRecord) {
  return {
    ...e,
    createdAt: e.createdAt.toISOString(),
    finishedAt: e.finishedAt?.toISOString() ?? null,
    files: e.files.map((f) => ({ ...f, url: `/api/exports/${e.id}/files/${encodeURIComponent(f.name)}` })),
  };
}

export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/exports/monthly-index',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['exports'],
        summary: 'Builds the monthly index export (XLSX, CSV, GeoJSON, PDF) of a month in the background',
        description: 'While an export of the same month is queued or running, answers that one (pending: true) instead of starting another.',
        body: Type.Object({ month: Type.String({ description: 'YYYY-MM, Asia/Shanghai' }) }, { additionalProperties: false }),
        response: { 202: Type.Object({ id: Type.Integer(), pending: Type.Boolean() }), 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request, reply) => {
      const { month } = parseMonth(request.body.month);
      const { record, pending } = await withTransaction(app.db, (tx) => insertExportUnlessPending(tx, month, currentUser(request).id));
      // Enqueued again when pending: the job id is the export's, so this is a no-op unless its job was lost.
      await enqueueMonthlyExport(app.queues, record.id);
      return reply.status(202).send({ id: record.id, pending });
    },
  );

  app.get(
    '/api/exports',
    {
      preValidation: requireUser(...READERS),
      schema: {
        tags: ['exports'],
        summary: 'Exports, newest first',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ exports: Type.Array(ExportSchema) }), 401: errorRef, 403: errorRef },
      },
    },
    async (request) => ({ exports: (await listExports(app.db, request.query.limit, request.query.offset)).map(present) }),
  );

  app.get(
    '/api/exports/:id',
    {
      preValidation: requireUser(...READERS),
      schema: {
        tags: ['exports'],
        summary: 'An export: its status and files with download URLs',
        params: IdParams,
        response: { 200: ExportSchema, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const record = await findExport(app.db, request.params.id);
      if (!record) throw new NotFound(`no export ${request.params.id}`);
      return present(record);
    },
  );

  app.get(
    '/api/exports/:id/files/:name',
    {
      preValidation: requireUser(...READERS),
      schema: {
        tags: ['exports'],
        summary: 'Downloads one file of a finished export',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), name: Type.String() }),
        response: { 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const record = await findExport(app.db, request.params.id);
      // only names the export lists: a request can never reach outside its folder
      const file = record?.files.find((f) => f.name === request.params.name);
      const stream = file && (await app.storage.objects.stream(exportFileKey(record!.id, file.name)));
      if (!file || !stream) {
        throw new NotFound(`export ${request.params.id} has no file ${request.params.name}`);
      }
      return reply
        .type(MIME[file.format] ?? 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('content-length', file.bytes)
        .send(stream);
    },
  );
};
