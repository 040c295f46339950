import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listModelVersions, modelVersionEvents, type ModelVersionRow } from '@tuban/core/db/model-versions';
import { modelFiles } from '@tuban/core/learning/model-files';
import { activeModelVersion, promoteModelVersion, rollbackModelVersion } from '@tuban/core/learning/model-versions';
import { currentUser, requireUser } from '../auth.js';
import { errorRef, Nullable } from '../schemas.js';

const ModelVersionSchema = Type.Object({
  version: Type.String(),
  name: Type.String({ description: "the model card's name" }),
  parentVersion: Nullable(Type.String({ description: 'the version it was fine-tuned from; null for a shipped model' })),
  status: Type.Enum(['candidate', 'active', 'retired']),
  threshold: Type.Number({ description: "the card's default probability threshold" }),
  metrics: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number()), {
    description: 'scores per evaluation set (district-validation, synthetic, …): f1, objectPrecision, objectRecall, falseAlarmsPerKm2, …',
  }),
  trained: Type.Boolean({ description: 'fine-tuned from decisions (it has a training-set manifest)' }),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  promotedBy: Nullable(Type.String()),
  promotedAt: Nullable(Type.String()),
});

const ModelEventSchema = Type.Object({
  id: Type.Integer(),
  action: Type.Enum(['registered', 'promoted', 'rolled_back']),
  version: Type.String({ description: 'the version that became (or was recorded as) active' }),
  previousVersion: Nullable(Type.String({ description: 'the version active before' })),
  actorName: Nullable(Type.String()),
  at: Type.String(),
  note: Type.String(),
});

const ActivationSchema = Type.Object({
  version: Type.String({ description: 'the version active now' }),
  previousVersion: Nullable(Type.String()),
  eventId: Type.Integer(),
});

const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

const present = (v: ModelVersionRow) => ({
  version: v.version,
  name: String(v.card.name ?? ''),
  parentVersion: v.parentVersion,
  status: v.status,
  threshold: Number(v.card.defaultThreshold),
  metrics: v.metrics,
  trained: v.hasTrainingManifest,
  createdBy: v.createdBy,
  createdAt: v.createdAt,
  promotedBy: v.promotedBy,
  promotedAt: v.promotedAt,
});

export const modelVersionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A trained version's file is checked before it is made active; from S3 it is copied to DATA_DIR/tmp/models first.
  const files = modelFiles(app.storage.objects, app.config.DATA_DIR);
  app.get(
    '/api/model-versions',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['models'],
        summary: 'Every change-model version (the active one first) with its scores per evaluation set, and the promotion trail',
        response: { 200: Type.Object({ versions: Type.Array(ModelVersionSchema), events: Type.Array(ModelEventSchema) }), 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      // The shipped model is registered on first use; a missing model file leaves the list as it is.
      if (app.config.CHANGE_DETECTOR === 'onnx') {
        await activeModelVersion(app.db, app.config.CHANGE_MODEL_PATH).catch((err: Error) =>
          request.log.warn(`shipped change model not registered: ${err.message}`));
      }
      return { versions: (await listModelVersions(app.db)).map(present), events: await modelVersionEvents(app.db) };
    },
  );

  app.post(
    '/api/model-versions/:version/promote',
    {
      preValidation: requireUser('admin'),
      schema: {
        tags: ['models'],
        summary: 'Makes a candidate (or retired) version the active one; the version active before is retired. Audited',
        params: Type.Object({ version: Type.String({ pattern: '^[0-9A-Za-z.+_-]{1,64}$' }) }),
        body: NoteBody,
        response: { 200: ActivationSchema, 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request) =>
      promoteModelVersion(app.db, currentUser(request), request.params.version, files, request.body.note ?? ''),
  );

  app.post(
    '/api/model-versions/rollback',
    {
      preValidation: requireUser('admin'),
      schema: {
        tags: ['models'],
        summary: 'Re-activates the version that was active before the active one was promoted; the active one is retired. Audited',
        body: NoteBody,
        response: { 200: ActivationSchema, 401: errorRef, 403: errorRef, 409: errorRef },
      },
    },
    async (request) => rollbackModelVersion(app.db, currentUser(request), files, request.body.note ?? ''),
  );
};
