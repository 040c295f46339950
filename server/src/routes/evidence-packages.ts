import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { evidenceSubject, type EvidenceSubjectKind } from '@tuban/core/db/evidence-package';
import type { User } from '@tuban/core/db/users';
import { NotFound } from '@tuban/core/errors';
import { gatherEvidence } from '@tuban/core/evidence/gather';
import { buildEvidencePackage } from '@tuban/core/evidence/package';
import { currentUser, requireUser } from '../auth.js';
import { errorRef, IdParams } from '../schemas.js';

const errors = { 401: errorRef, 403: errorRef, 404: errorRef };
const DESCRIPTION =
  'A ZIP built on request, the same bytes for the same data: summary.pdf (one page in Chinese), case.json, history.csv, ' +
  'polygon.geojson (EPSG:4326) and polygon-cgcs2000.geojson/.csv (EPSG:4490, with EPSG:4549 metres), before/after crops at the ' +
  "imagery's own resolution with scale bar and north arrow, the nearest drone photos with their EXIF, field photos, and " +
  'manifest.json with the SHA-256 of every other file (its own SHA-256 is in the X-Manifest-SHA256 header). ' +
  "A squad gets packages of its own street's candidates and cases only.";

export const evidencePackageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function send(reply: FastifyReply, user: User, kind: EvidenceSubjectKind, id: number) {
    const what = kind === 'candidate' ? 'candidate' : 'registry item';
    const subject = await evidenceSubject(app.db, kind, id);
    if (!subject || (user.role === 'squad' && subject.streetCode !== user.streetCode)) throw new NotFound(`no ${what} ${id}`);
    const inputs = (await gatherEvidence(app.db, app.config.DATA_DIR, kind, id, subject))!;
    const pkg = await buildEvidencePackage(inputs);
    reply.header('Content-Disposition', `attachment; filename="${pkg.fileName}"`);
    reply.header('Cache-Control', 'private, no-cache');
    reply.header('X-Manifest-SHA256', pkg.manifestSha256);
    return reply.type('application/zip').send(pkg.zip);
  }

  app.get(
    '/api/candidates/:id/evidence.zip',
    {
      preValidation: requireUser('admin', 'office', 'squad', 'viewer'),
      schema: { tags: ['evidence'], summary: 'The evidence package (证据包) of a candidate', description: DESCRIPTION, params: IdParams, response: errors },
    },
    async (request, reply) => send(reply, currentUser(request), 'candidate', request.params.id),
  );

  app.get(
    '/api/registry/:id/evidence.zip',
    {
      preValidation: requireUser('admin', 'office', 'squad', 'viewer'),
      schema: {
        tags: ['evidence'],
        summary: 'The evidence package (证据包) of a registry case, with the candidates that led to it',
        description: DESCRIPTION,
        params: IdParams,
        response: errors,
      },
    },
    async (request, reply) => send(reply, currentUser(request), 'registry', request.params.id),
  );
};
