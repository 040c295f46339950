import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tokenHash } from '@tuban/core/auth/secrets';
import { findSessionUser, useApiToken } from '@tuban/core/db/sessions';
import type { User } from '@tuban/core/db/users';
import type { Role } from '@tuban/core/domain';
import { Forbidden, Unauthorized } from '@tuban/core/errors';

export const SESSION_COOKIE = 'tuban_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
}

/** Resolves the caller from the session cookie or an `Authorization: Bearer` API token on every request. */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      request.user = (await useApiToken(app.db, tokenHash(bearer))) ?? null;
      if (!request.user) throw new Unauthorized('unknown or revoked API token');
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) request.user = (await findSessionUser(app.db, tokenHash(cookie))) ?? null;
  });
}

/**
 * A preValidation hook that admits logged-in users, optionally only those with one of the given roles. It runs before
 * the request is validated, so that who may not call a route learns nothing about its parameters.
 */
export function requireUser(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const user = request.user;
    if (!user) throw new Unauthorized();
    if (roles.length > 0 && !roles.includes(user.role)) {
      throw new Forbidden(`role ${user.role} may not do this; needs ${roles.join(' or ')}`);
    }
  };
}

export function currentUser(request: FastifyRequest): User {
  if (!request.user) throw new Unauthorized();
  return request.user;
}

/**
 * The street a request may see: a squad is held to its own street (asking for another is refused),
 * everyone else gets what they asked for (undefined = all streets).
 */
export function streetScope(user: User, requested: string | undefined): string | undefined {
  if (user.role !== 'squad') return requested;
  if (requested !== undefined && requested !== user.streetCode) {
    throw new Forbidden(`a squad of street ${user.streetCode} may not see street ${requested}`);
  }
  return user.streetCode ?? undefined;
}
