import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { newToken, tokenHash } from '@tuban/core/auth/secrets';
import { insertApiToken, listApiTokens, revokeApiToken } from '@tuban/core/db/sessions';
import { NotFound } from '@tuban/core/errors';
import { currentUser, requireUser } from '../auth.js';
import { errorRef, IdParams } from '../schemas.js';

const TokenInfo = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/tokens',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['auth'],
        summary: 'Create a personal API token for scripts and upload tools; the secret is shown only once',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 201: Type.Intersect([TokenInfo, Type.Object({ token: Type.String() })]), 401: errorRef },
      },
    },
    async (request, reply) => {
      const token = newToken('tbn');
      const info = await insertApiToken(app.db, currentUser(request).id, request.body.name, tokenHash(token));
      return reply.status(201).send({ ...info, token });
    },
  );

  app.get(
    '/api/tokens',
    {
      preValidation: requireUser(),
      schema: { tags: ['auth'], summary: "The caller's live API tokens", response: { 200: Type.Array(TokenInfo) } },
    },
    async (request) => listApiTokens(app.db, currentUser(request).id),
  );

  app.delete(
    '/api/tokens/:id',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of your API tokens',
        params: IdParams,
        response: { 204: Type.Null(), 404: errorRef },
      },
    },
    async (request, reply) => {
      if (!(await revokeApiToken(app.db, currentUser(request).id, request.params.id))) {
        throw new NotFound(`no API token ${request.params.id} of yours`);
      }
      return reply.status(204).send(null);
    },
  );
};
