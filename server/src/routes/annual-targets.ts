import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withTransaction } from '@tuban/core/db/pool';
import {
  findAnnualTarget,
  insertAnnualTargetEvent,
  listAnnualTargets,
  upsertAnnualTarget,
  type AnnualTarget,
} from '@tuban/core/db/annual-targets';
import { streetExists } from '@tuban/core/db/streets';
import { NotFound } from '@tuban/core/errors';
import { currentUser, requireUser } from '../auth.js';
import { errorRef } from '../schemas.js';

const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const TargetSchema = Type.Object({
  year: Type.Integer(),
  scope: Type.String({ description: "'district' or a street code" }),
  targetM2: Type.Number(),
  updatedBy: Type.Integer(),
  updatedAt: Type.String(),
});
const present = (t: AnnualTarget) => ({ ...t, updatedAt: t.updatedAt.toISOString() });

export const annualTargetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/annual-targets',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['monthly-index'],
        summary: 'Annual close-out targets (销项目标, m² floor area) per street and for the district',
        querystring: Type.Object({ year: Year }),
        response: { 200: Type.Object({ targets: Type.Array(TargetSchema) }), 400: errorRef, 401: errorRef },
      },
    },
    async (request) => ({ targets: (await listAnnualTargets(app.db, request.query.year)).map(present) }),
  );

  app.put(
    '/api/annual-targets/:year/:scope',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['monthly-index'],
        summary: 'Sets the close-out target of a street (or the district) for a year; the change is audited',
        params: Type.Object({ year: Year, scope: Type.String({ pattern: '^(district|[0-9]{9})$' }) }),
        body: Type.Object({ targetM2: Type.Number({ minimum: 0, maximum: 1e8 }) }, { additionalProperties: false }),
        response: { 200: TargetSchema, 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const { year, scope } = request.params;
      if (scope !== 'district' && !(await streetExists(app.db, scope))) throw new NotFound(`no street with code ${scope}`);
      const actorId = currentUser(request).id;
      const saved = await withTransaction(app.db, async (tx) => {
        const before = await findAnnualTarget(tx, year, scope);
        const after = await upsertAnnualTarget(tx, { year, scope, targetM2: request.body.targetM2, actorId });
        await insertAnnualTargetEvent(tx, { year, scope, actorId, fromM2: before?.targetM2 ?? null, toM2: after.targetM2 });
        return after;
      });
      return present(saved);
    },
  );
};
