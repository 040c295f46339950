import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoginGuard, TooManyAttempts } from '@tuban/core/auth/login-guard';
import { hashPassword, newToken, tokenHash, verifyPassword } from '@tuban/core/auth/secrets';
import { insertLoginEvent, type LoginOutcome } from '@tuban/core/db/login-events';
import { deleteSession, insertSession } from '@tuban/core/db/sessions';
import { findUserCredentials } from '@tuban/core/db/users';
import { Unauthorized } from '@tuban/core/errors';
import { SESSION_COOKIE } from '../auth.js';
import { UserSchema, errorRef } from '../schemas.js';

const UserResponse = Type.Object({ user: UserSchema });

export const authRoutes: FastifyPluginAsyncTypebox<{ keyPrefix: string }> = async (app, opts) => {
  const guard = new LoginGuard(app.redis, opts.keyPrefix, {
    lockAfter: app.config.LOGIN_LOCK_AFTER,
    lockSeconds: Math.round(app.config.LOGIN_LOCK_MINUTES * 60),
    baseDelayMs: app.config.LOGIN_DELAY_MS,
  });
  // Unknown users are checked against this hash, so that they cost the same scrypt work as known ones.
  const decoyHash = await hashPassword(newToken('decoy'));

  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
  };
  const secure = (request: FastifyRequest) => app.config.COOKIE_SECURE || request.protocol === 'https';

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets an HttpOnly session cookie',
        body: Type.Object({ username: Type.String({ minLength: 1 }), password: Type.String({ minLength: 1 }) }),
        response: { 200: UserResponse, 401: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const found = await findUserCredentials(app.db, username);
      const audit = (outcome: LoginOutcome) => insertLoginEvent(app.db, { username, userId: found?.id ?? null, address: request.ip, outcome });
      try {
        await guard.assertOpen(username, request.ip);
      } catch (err) {
        if (err instanceof TooManyAttempts) await audit('locked');
        throw err;
      }
      const matches = await verifyPassword(password, found?.passwordHash ?? decoyHash);
      if (!found || !matches) {
        await audit(found ? 'wrong_password' : 'unknown_user');
        await sleep(await guard.failed(username, request.ip));
        // The message does not say which part was wrong.
        throw new Unauthorized('wrong username or password');
      }
      await guard.succeeded(username);
      await audit('success');
      const token = newToken('tbs');
      await insertSession(app.db, tokenHash(token), found.id, app.config.SESSION_TTL_HOURS);
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, secure: secure(request), maxAge: app.config.SESSION_TTL_HOURS * 3600 });
      const { passwordHash: _omit, ...user } = found;
      return { user };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await deleteSession(app.db, tokenHash(cookie));
      reply.clearCookie(SESSION_COOKIE, { ...cookieOptions, secure: secure(request) });
      return reply.status(204).send(null);
    },
  );

  // 200 with null rather than 401 when signed out: the web app asks this on every first visit.
  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user, or null without a valid session',
        response: { 200: Type.Object({ user: Type.Union([UserSchema, Type.Null()]) }) },
      },
    },
    async (request) => ({ user: request.user }),
  );
};
