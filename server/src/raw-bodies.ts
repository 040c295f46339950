import type { FastifyInstance } from 'fastify';

/**
 * Takes request bodies of these content types as they arrive, whole, up to `limit` bytes (file imports). Registered
 * on a plugin, it applies to that plugin's routes only.
 */
export function acceptRawBodies(app: FastifyInstance, types: string[], limit: number): void {
  app.addContentTypeParser(types, { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));
}
