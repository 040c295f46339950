import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const PartStatus = Type.Union([Type.Literal('ok'), Type.Literal('down')]);
const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  db: PartStatus,
  redis: PartStatus,
  failing: Type.Optional(Type.Array(Type.String())),
});

const CHECK_TIMEOUT_MS = 2000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Whether the database and Redis answer; 503 names the failing part',
        response: { 200: HealthResponse, 503: HealthResponse },
      },
    },
    async (_request, reply) => {
      const [db, redis] = await Promise.all([probe(() => app.db.query('SELECT 1')), probe(() => app.redis.ping())]);
      const failing = Object.entries({ db, redis }).filter(([, v]) => v !== 'ok').map(([k]) => k);
      if (failing.length === 0) return { status: 'ok' as const, db, redis };
      return reply.status(503).send({ status: 'degraded' as const, db, redis, failing });
    },
  );

  app.get(
    '/api/config',
    {
      schema: {
        tags: ['system'],
        summary: 'Settings the web app needs before login',
        response: {
          200: Type.Object({ basemapStyleUrl: Type.Union([Type.String(), Type.Null()]), version: Type.String() }),
        },
      },
    },
    async () => ({ basemapStyleUrl: app.config.BASEMAP_STYLE_URL || null, version: app.appVersion }),
  );
};
