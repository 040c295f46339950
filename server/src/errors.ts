import type { FastifyError, FastifyInstance } from 'fastify';
import { TooManyAttempts } from '@tuban/core/auth/login-guard';
import { DomainError } from '@tuban/core/errors';
import { validationErrorRef } from './validation-errors.js';

const STATUS_BY_CODE: Record<string, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_attempts: 429,
  unavailable: 503,
};

/**
 * One place that turns any thrown error into `{"error":{code,message,params?}}` with the right status: the
 * status from the error's kind, `code` stable for the web app to translate, `params` the values its text needs.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
    if (err instanceof DomainError) {
      if (err instanceof TooManyAttempts) reply.header('retry-after', String(err.retryAfterSeconds));
      const params = err.params ? { params: err.params } : {};
      return reply.status(STATUS_BY_CODE[err.kind] ?? 400).send({ error: { code: err.code, message: err.message, ...params } });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const ref = validationErrorRef(fe.validation, fe.validationContext);
      return reply.status(400).send({ error: { code: ref.code, message: fe.message, params: ref.params } });
    }
    const status = fe.statusCode && fe.statusCode >= 400 ? fe.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err, url: request.url, user: request.user?.username }, 'request failed');
      return reply.status(status).send({ error: { code: 'internal', message: 'internal server error' } });
    }
    return reply.status(status).send({ error: { code: fe.code?.toLowerCase() ?? 'error', message: fe.message } });
  });
}
