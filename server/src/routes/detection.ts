import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { candidateStreet } from '@tuban/core/db/candidates';
import { candidateChipSource, findRun, listRuns, type RunRow } from '@tuban/core/db/detection-runs';
import { enqueueDetectionRun } from '@tuban/core/jobs/detection-jobs';
import { planDetectionRun, type ModelInfo } from '@tuban/core/detection/plan';
import { NotFound } from '@tuban/core/errors';
import { lonLatToGlobalPixel } from '@tuban/core/geo/web-mercator-pixels';
import { cutWindow } from '@tuban/core/raster/mosaic';
import { assertCandidateVisible } from '@tuban/core/triage/decide';
import { imageryTileReader } from '@tuban/core/tiles/imagery-tile-reader';
import { DomainError } from '@tuban/core/errors';
import { currentUser, requireUser } from '../auth.js';
import { errorRef, ErrorParamsSchema, IdParams } from '../schemas.js';

const CoregistrationSchema = Type.Object({
  windows: Type.Integer({ description: 'tile windows whose shift was estimated' }),
  applied: Type.Integer({ description: 'windows the before imagery was shifted in' }),
  lowConfidence: Type.Integer({ description: 'windows whose estimate was not trusted (not shifted)' }),
  lowConfidenceShare: Type.Number(),
  clamped: Type.Integer({ description: 'windows whose shift reached the largest allowed' }),
  medianShiftPx: Type.Number(),
  maxShiftPx: Type.Number(),
  metresPerPixel: Type.Number({ description: "ground size of a pixel at the run's zoom" }),
  largest: Type.Array(Type.Object({ x: Type.Integer(), y: Type.Integer(), dx: Type.Number(), dy: Type.Number() }), {
    description: 'tiles (at the run zoom) with the largest trusted shifts, pixels',
  }),
});

const RunSchema = Type.Object({
  id: Type.Integer(),
  afterImageryId: Type.Integer(),
  modelName: Type.String(),
  modelVersion: Type.String(),
  threshold: Type.Number(),
  minAreaM2: Type.Number(),
  villaMinAreaM2: Type.Number(),
  zoom: Type.Integer(),
  status: Type.Enum(['planned', 'running', 'done', 'failed']),
  error: Type.Union([Type.String(), Type.Null()], { description: 'why the run failed (English)' }),
  errorCode: Type.Union([Type.String(), Type.Null()], { description: 'the same as a stable code, for the web to word' }),
  errorParams: Type.Union([ErrorParamsSchema, Type.Null()]),
  tilesTotal: Type.Integer({ description: 'tiles with a baseline, to be compared' }),
  tilesDone: Type.Integer(),
  tilesWithoutBaseline: Type.Integer({ description: 'tiles of the new imagery with no earlier imagery covering them' }),
  batchesTotal: Type.Integer(),
  candidatesFound: Type.Union([Type.Integer(), Type.Null()]),
  timings: Type.Record(Type.String(), Type.Number(), { description: 'seconds per stage' }),
  coregister: Type.Boolean({ description: 'each before window is aligned onto its after window before inference' }),
  coregistration: Type.Union([CoregistrationSchema, Type.Null()], {
    description: 'shifts of the before imagery against the after imagery, summarised when the run is merged',
  }),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

// Context around the polygon in the crops, in pixels at the run's zoom (about 16 m at z18).
const CHIP_PADDING_PX = 32;
const CHIP_MAX_PX = 1024;

const toApi = ({ createdBy: _c, batchSize: _b, marginPx: _m, ...run }: RunRow) => run;

export interface DetectionRouteOptions {
  /** The change model runs are planned for now; without one, planning answers 503. */
  changeModel?: () => Promise<ModelInfo>;
}

export const detectionRoutes: FastifyPluginAsyncTypebox<DetectionRouteOptions> = async (app, opts) => {
  const readTile = imageryTileReader(app.db, app.storage.tiles);

  app.post(
    '/api/detection-runs',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['detection'],
        summary: 'Plan and start a detection run over ready imagery against the newest earlier imagery (idempotent)',
        body: Type.Object({ afterImageryId: Type.Integer({ minimum: 1 }) }),
        response: { 201: RunSchema, 200: RunSchema, 400: errorRef, 404: errorRef, 409: errorRef, 503: errorRef },
      },
    },
    async (request, reply) => {
      if (!opts.changeModel) {
        return reply.status(503).send({ error: { code: 'no_change_model', message: 'no change model is configured' } });
      }
      const { run, created } = await planDetectionRun(app.db, request.body.afterImageryId, await opts.changeModel(), currentUser(request).id);
      if (run.batchesTotal > 0 && run.status !== 'done') await enqueueDetectionRun(app.queues, run);
      return reply.status(created ? 201 : 200).send(toApi(run));
    },
  );

  app.get(
    '/api/detection-runs',
    {
      preValidation: requireUser(),
      schema: { tags: ['detection'], summary: 'The latest detection runs with progress', response: { 200: Type.Array(RunSchema) } },
    },
    async () => (await listRuns(app.db, 100)).map(toApi),
  );

  app.get(
    '/api/detection-runs/:id',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['detection'],
        summary: 'One run: status, tiles done / total, tiles without baseline, candidates, timings',
        params: IdParams,
        response: { 200: RunSchema, 404: errorRef },
      },
    },
    async (request) => {
      const run = await findRun(app.db, request.params.id);
      if (!run) throw new NotFound(`no detection run ${request.params.id}`);
      return toApi(run);
    },
  );

  app.get(
    '/api/candidates/:id/chips/:which',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['detection'],
        summary: 'Before or after image crop (WebP) around a candidate, cut from the tile pyramid and cached',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), which: Type.Enum(['before.webp', 'after.webp']) }),
        response: { 404: errorRef },
      },
    },
    async (request, reply) => {
      const { id, which } = request.params;
      const street = await candidateStreet(app.db, id);
      if (!street) throw new NotFound(`no candidate ${id}`);
      assertCandidateVisible(currentUser(request), id, street.streetCode);
      const source = await candidateChipSource(app.db, id);
      const imageryId = which === 'before.webp' ? source?.beforeImageryId : source?.afterImageryId;
      if (!source || !imageryId) throw new NotFound(`candidate ${id} has no ${which.replace('.webp', '')} imagery`);
      const cacheKey = `chips/${id}-${which}`;
      let chip = await app.storage.objects.get(cacheKey);
      if (!chip) {
        chip = await cutChip(source.bbox, source.zoom, (z, x, y) => readTile(imageryId, z, x, y));
        if (!chip) throw new NotFound(`imagery ${imageryId} has no tiles around candidate ${id}`);
        await app.storage.objects.put(cacheKey, chip, 'image/webp');
      }
      reply.header('Cache-Control', 'private, max-age=3600');
      return reply.type('image/webp').send(chip);
    },
  );

};

async function cutChip(
  bbox: [number, number, number, number],
  zoom: number,
  source: (z: number, x: number, y: number) => Promise<Buffer | null>,
): Promise<Buffer | null> {
  const [west, south, east, north] = bbox;
  const [x0, y0] = lonLatToGlobalPixel(west, north, zoom);
  const [x1, y1] = lonLatToGlobalPixel(east, south, zoom);
  const left = Math.floor(x0) - CHIP_PADDING_PX;
  const top = Math.floor(y0) - CHIP_PADDING_PX;
  const width = Math.min(CHIP_MAX_PX, Math.ceil(x1) - Math.floor(x0) + 2 * CHIP_PADDING_PX);
  const height = Math.min(CHIP_MAX_PX, Math.ceil(y1) - Math.floor(y0) + 2 * CHIP_PADDING_PX);
  try {
    return await cutWindow(source, zoom, { left, top, width, height });
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new Error(`cutting the chip failed: ${(err as Error).message}`);
  }
}
