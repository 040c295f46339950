import { existsSync, readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type { Config } from '@tuban/core/config';
import { openStorage, type Storage } from '@tuban/core/storage/storage';
import type { Pool } from '@tuban/core/db/pool';
import { registerAuth } from './auth.js';
import { registerErrorHandler } from './errors.js';
import { registerSchemaLimits } from './schema-limits.js';
import { registerSecurity } from './security.js';
import { trackRouteMethods } from './route-methods.js';
import { createQueues, type Queues } from '@tuban/core/jobs/queues';
import { registerQueueBoard } from './queue-board.js';
import { detectionRoutes } from './routes/detection.js';
import type { ModelInfo } from '@tuban/core/detection/plan';
import { authRoutes } from './routes/auth.js';
import { candidateRoutes } from './routes/candidates.js';
import { flightRoutes } from './routes/flights.js';
import { coverageRoutes } from './routes/coverage.js';
import { geodataRoutes } from './routes/geodata.js';
import { healthRoutes } from './routes/health.js';
import { squadRoutes } from './routes/squad.js';
import { searchRoutes } from './routes/search.js';
import { imageryRoutes } from './routes/imagery.js';
import { evidencePhotoRoutes } from './routes/evidence-photos.js';
import { evidencePackageRoutes } from './routes/evidence-packages.js';
import { tileRoutes } from './routes/tiles.js';
import { tokenRoutes } from './routes/tokens.js';
import { annualTargetRoutes } from './routes/annual-targets.js';
import { exportRoutes } from './routes/exports.js';
import { learningRoutes } from './routes/learning.js';
import { monthlyIndexRoutes } from './routes/monthly-index.js';
import { uploadRoutes } from './routes/uploads.js';
import { registryAdminRoutes } from './routes/registry-admin.js';
import { ogcRoutes } from './routes/ogc.js';
import { modelVersionRoutes } from './routes/model-versions.js';
import { drillRoutes } from './routes/drills.js';
import { complaintRoutes } from './routes/complaints.js';
import { contractEnumSchemas, ErrorResponse } from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Pool;
    redis: Redis;
    /** The job queues, under the configured QUEUE_PREFIX. */
    queues: Queues;
    /** Every file (uploads, tiles, chips, photos, exports): the store STORAGE_URL names. */
    storage: Storage;
    appVersion: string;
  }
}

export interface AppDeps {
  config: Config;
  db: Pool;
  redis: Redis;
  /** The change model detection runs are planned for now (the active version's card); without it planning answers 503. */
  changeModel?: () => Promise<ModelInfo>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** Builds the API: external plugins, then app plugins, then routes, then the web app. */
export async function buildApp({ config, db, redis, changeModel }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    trustProxy: config.TRUST_PROXY,
    ajv: { customOptions: { coerceTypes: true, useDefaults: true, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const allowedMethods = trackRouteMethods(app);
  app.decorate('config', config);
  app.decorate('db', db);
  app.decorate('redis', redis);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  app.decorate('queues', queues);
  app.decorate('storage', await openStorage(config, db));
  app.addHook('onClose', async () => queues.close());
  app.decorate('appVersion', VERSION);

  await app.register(cookie);
  await registerSecurity(app);
  app.addSchema(ErrorResponse);
  for (const schema of contractEnumSchemas) app.addSchema(schema);
  await app.register(swagger, {
    // Named schemas keep their $id as their name in the document (the generated web types use them).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      info: { title: 'Tuban API', description: 'Illegal-building monitoring (图斑)', version: VERSION },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tuban_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerErrorHandler(app);
  registerSchemaLimits(app);
  registerAuth(app);

  await app.register(healthRoutes);
  await app.register(authRoutes, { keyPrefix: config.QUEUE_PREFIX });
  await app.register(tokenRoutes);
  await app.register(geodataRoutes);
  await app.register(tileRoutes);
  await app.register(candidateRoutes);
  await app.register(squadRoutes);
  await app.register(searchRoutes);
  await registerQueueBoard(app);
  await app.register(detectionRoutes, { changeModel });
  await app.register(monthlyIndexRoutes);
  await app.register(annualTargetRoutes);
  await app.register(exportRoutes);
  await app.register(learningRoutes);
  await app.register(imageryRoutes);
  await app.register(evidencePhotoRoutes);
  await app.register(evidencePackageRoutes);
  await app.register(flightRoutes);
  await app.register(uploadRoutes);
  await app.register(registryAdminRoutes);
  await app.register(ogcRoutes);
  await app.register(modelVersionRoutes);
  await app.register(drillRoutes);
  await app.register(coverageRoutes);
  await app.register(complaintRoutes);

  await registerWebApp(app, config.WEB_DIST, allowedMethods);
  return app;
}

/**
 * Serves the built web app; unknown non-API GET paths get index.html so client-side routes survive a
 * reload, a known path asked with another method gets 405, and everything else unknown gets the JSON 404.
 */
async function registerWebApp(app: FastifyInstance, dist: string, allowedMethods: (path: string) => string[]): Promise<void> {
  const built = existsSync(`${dist}/index.html`);
  if (built) {
    await app.register(fastifyStatic, { root: dist, wildcard: false });
  } else {
    app.log.warn(`web app not built (${dist}/index.html missing); run: npm run build:web`);
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain').send('Tuban API is running; the web app is not built (npm run build:web). API docs: /docs'),
    );
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = /^\/(api|tiles|docs|admin|ogc)(\/|$)/.test(request.url);
    if (built && request.method === 'GET' && !isApi) return reply.sendFile('index.html');
    const path = request.url.split('?')[0]!;
    const allowed = allowedMethods(path);
    if (allowed.length > 0) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({ error: { code: 'method_not_allowed', message: `${request.method} is not allowed on ${path}; it answers ${allowed.join(', ')}` } });
    }
    return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}` } });
  });
}
