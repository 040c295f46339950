import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listAnnualTargets } from '@tuban/core/db/annual-targets';
import { ytdClosedOutByStreet } from '@tuban/core/db/monthly-index';
import { withTransaction } from '@tuban/core/db/pool';
import { reassignRegistryItem } from '@tuban/core/db/registry-import';
import { indexStreets } from '@tuban/core/db/monthly-index';
import { streetExists } from '@tuban/core/db/streets';
import { villaProgress } from '@tuban/core/db/villa-progress';
import { Invalid, NotFound } from '@tuban/core/errors';
import { parseMonth } from '@tuban/core/monthly-index/month';
import { IMPORT_CRS, isImportCrs } from '@tuban/core/registry/import/crs';
import { importRegistryFile } from '@tuban/core/registry/import/import';
import { REGISTRY_EXPORT_FORMATS, exportRegistry } from '@tuban/core/registry/export';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef, ErrorParamsSchema, IdParams } from '../schemas.js';
import { acceptRawBodies } from '../raw-bodies.js';

const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const StreetCode = Type.String({ pattern: '^[0-9]{9}$' });

const OUTCOMES = ['add', 'repaired', 'exists', 'duplicate', 'invalid'] as const;
const ImportReportSchema = Type.Object({
  fileName: Type.String(),
  format: Type.String(),
  crs: Type.String(),
  dryRun: Type.Boolean(),
  total: Type.Integer(),
  counts: Type.Object(Object.fromEntries(OUTCOMES.map((o) => [o, Type.Integer()])) as Record<(typeof OUTCOMES)[number], ReturnType<typeof Type.Integer>>),
  added: Type.Integer({ description: 'items written (0 on a dry run)' }),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer(),
      caseNo: Type.Union([Type.String(), Type.Null()]),
      outcome: Type.Enum(OUTCOMES),
      streetCode: Type.Union([Type.String(), Type.Null()]),
      messages: Type.Array(Type.String(), { description: 'in English' }),
      notes: Type.Array(Type.Object({ code: Type.String(), params: ErrorParamsSchema }), { description: 'the messages as stable codes with their values, in the same order' }),
    }),
  ),
});

export const registryAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptRawBodies(app, ['application/octet-stream', 'application/zip', 'text/csv', 'application/geo+json'], MAX_UPLOAD_BYTES);

  app.post(
    '/api/registry/import',
    {
      preValidation: requireUser('admin', 'office'),
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags: ['registry'],
        summary: 'Imports registry items from GeoJSON, a zipped Shapefile or CSV; dry run (the default) only reports',
        description:
          'Send the file as the body (application/octet-stream, application/zip, text/csv or JSON). Each row is reported: add, repaired (ST_MakeValid kept its area), exists (case number already in the registry), duplicate, invalid (with reasons). Rows without a case number get one derived from their geometry, so importing a file twice adds nothing.',
        querystring: Type.Object({
          fileName: Type.String({ minLength: 1, description: 'the file name; its extension (.geojson/.json, .zip, .csv) gives the format' }),
          crs: Type.Optional(Type.String({ description: `one of ${IMPORT_CRS.join(', ')}; default: the Shapefile's .prj, else wgs84` })),
          dryRun: Type.Boolean({ default: true }),
        }),
        response: { 200: ImportReportSchema, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      const { fileName, crs, dryRun } = request.query;
      if (crs !== undefined && !isImportCrs(crs)) throw new Invalid(`crs must be one of ${IMPORT_CRS.join(', ')}; got "${crs}"`);
      const raw = request.body;
      const body = Buffer.isBuffer(raw) ? raw : Buffer.from(JSON.stringify(raw ?? null));
      if (body.length === 0) throw new Invalid('the request body is empty: send the file as the body');
      return importRegistryFile(app.db, body, { fileName, crs, dryRun, actorId: currentUser(request).id });
    },
  );

  app.get(
    '/api/registry/export',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['registry'],
        summary: 'The registry as a zipped Shapefile (with .prj and .cpg, UTF-8) or a GeoPackage, EPSG:4326',
        querystring: Type.Object({ format: Type.Enum(REGISTRY_EXPORT_FORMATS), street: Type.Optional(StreetCode) }),
        response: { 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request, reply) => {
      const street = streetScope(currentUser(request), request.query.street);
      const file = await exportRegistry(app.db, request.query.format, street);
      return reply
        .type(request.query.format === 'gpkg' ? 'application/geopackage+sqlite3' : 'application/zip')
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('x-item-count', file.items)
        .send(file.body);
    },
  );

  app.post(
    '/api/registry/:id/reassign',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['registry'],
        summary: 'Moves an item to another street; recorded as a registry event',
        params: IdParams,
        body: Type.Object({ streetCode: StreetCode, note: Type.String({ default: '' }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ id: Type.Integer(), fromStreet: Type.String(), toStreet: Type.String() }),
          400: errorRef,
          401: errorRef,
          403: errorRef,
          404: errorRef,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { streetCode, note } = request.body;
      if (!(await streetExists(app.db, streetCode))) throw new NotFound(`no street with code ${streetCode}`);
      const actorId = currentUser(request).id;
      const moved = await withTransaction(app.db, (tx) => reassignRegistryItem(tx, { id, streetCode, actorId, note }));
      if (!moved) throw new NotFound(`no registry item ${id}`);
      return { id, fromStreet: moved.from, toStreet: streetCode };
    },
  );

  app.get(
    '/api/annual-targets/progress',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['monthly-index'],
        summary: 'Close-out so far this year against the annual target, per street and for the district (a squad: its street only)',
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            rows: Type.Array(
              Type.Object({
                scope: Type.String(),
                name: Type.String(),
                closedOutM2: Type.Number(),
                targetM2: Type.Union([Type.Number(), Type.Null()]),
                progress: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
          }),
          400: errorRef,
          401: errorRef,
        },
      },
    },
    async (request) => {
      const { year } = request.query;
      const bounds = parseMonth(`${year}-12`);
      const [streets, closed, targets] = await Promise.all([
        indexStreets(app.db),
        ytdClosedOutByStreet(app.db, bounds),
        listAnnualTargets(app.db, year),
      ]);
      const target = new Map(targets.map((t) => [t.scope, t.targetM2]));
      const streetTargets = streets.map((s) => target.get(s.code)).filter((t): t is number => t !== undefined);
      const districtTarget = target.get('district') ?? (streetTargets.length ? streetTargets.reduce((a, b) => a + b, 0) : null);
      const row = (scope: string, name: string, m2: number, t: number | null) => ({
        scope,
        name,
        closedOutM2: Math.round(m2 * 10) / 10,
        targetM2: t,
        progress: t ? Math.round((m2 / t) * 10_000) / 10_000 : null,
      });
      const total = Object.values(closed).reduce((a, b) => a + b, 0);
      const rows = [
        row('district', '全区', total, districtTarget),
        ...streets.map((s) => row(s.code, s.name, closed[s.code] ?? 0, target.get(s.code) ?? null)),
      ];
      // A street squad sees its own street's progress only.
      const user = currentUser(request);
      return { year, rows: user.role === 'squad' ? rows.filter((r) => r.scope === user.streetCode) : rows };
    },
  );

  app.get(
    '/api/hotspots/progress',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['geodata'],
        summary: 'Villa items (别墅违建) per 三个一批 category: total, done (no longer open), by status',
        querystring: Type.Object({ street: Type.Optional(StreetCode) }),
        response: { 200: Type.Object({ categories: Type.Array(Type.Unknown()) }), 401: errorRef, 403: errorRef },
      },
    },
    async (request) => ({ categories: await villaProgress(app.db, streetScope(currentUser(request), request.query.street)) }),
  );
};
