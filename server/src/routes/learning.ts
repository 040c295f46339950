// Learning from the office's decisions: training-set exports and fine-tuning jobs (docs/learning.md).
import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { labelledCandidates, type LabelFilter } from '@tuban/core/db/training-labels';
import { Invalid, NotFound } from '@tuban/core/errors';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { enqueueTraining, enqueueTrainingSetExport, jobStatus, TRAIN_JOB } from '@tuban/core/jobs/train-jobs';
import { CHANGE_STATUSES, dismissalsLabelled } from '@tuban/core/learning/labels';
import { parseLabelFilter } from '@tuban/core/learning/training-set';
import { currentUser, requireUser } from '../auth.js';
import { errorRef } from '../schemas.js';

const FilterProps = {
  since: Type.Optional(Type.String({ description: 'only decisions made on or after this day (YYYY-MM-DD, Asia/Shanghai)' })),
  streets: Type.Optional(Type.Array(Type.String(), { maxItems: 50, description: 'only candidates in these streets (codes)' })),
};
const JobStatusSchema = Type.Object({
  id: Type.String(),
  state: Type.String({ description: 'BullMQ state: waiting-children, waiting, active, completed, failed, …' }),
  progress: Type.Number({ description: 'percent' }),
  attemptsMade: Type.Integer(),
  result: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
});
const JobIdParams = Type.Object({ jobId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,80}$' }) });

export const learningRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The filter, refused up front when no decision matches it (the job would have nothing to learn from). */
  async function checkedFilter(body: { since?: string; streets?: string[] }): Promise<LabelFilter> {
    const filter = parseLabelFilter(body);
    const rule = { statuses: CHANGE_STATUSES, dismissReasons: [...dismissalsLabelled('change'), ...dismissalsLabelled('no_change')] };
    if ((await labelledCandidates(app.db, rule, filter)).length === 0)
      throw new Invalid('no decided candidates match this filter: confirm, mark known or dismiss some first');
    return filter;
  }

  app.post(
    '/api/training-sets',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['learning'],
        summary: "Exports a training set from the office's decisions in the background (chips, masks, manifest under DATA_DIR)",
        body: Type.Object(FilterProps, { additionalProperties: false }),
        response: { 202: Type.Object({ jobId: Type.String(), dir: Type.String() }), 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request, reply) => {
      const { jobId, out } = await enqueueTrainingSetExport(app.queues, await checkedFilter(request.body));
      return reply.status(202).send({ jobId, dir: out });
    },
  );

  app.get(
    '/api/training-sets/:jobId',
    {
      preValidation: requireUser('admin', 'office'),
      schema: { tags: ['learning'], summary: 'Where a training-set export stands', params: JobIdParams, response: { 200: JobStatusSchema, 401: errorRef, 403: errorRef, 404: errorRef } },
    },
    async (request) => {
      const status = await jobStatus(app.queues, QueueName.Export, request.params.jobId, JobName.TrainingSetExport);
      if (!status) throw new NotFound(`no training-set export ${request.params.jobId}`);
      return status;
    },
  );

  app.post(
    '/api/models/train',
    {
      preValidation: requireUser('admin'),
      schema: {
        tags: ['learning'],
        summary: 'Fine-tunes the active change model on a fresh training set; the result is a candidate version, never promoted',
        body: Type.Object(
          { ...FilterProps, steps: Type.Integer({ minimum: 1, maximum: 100_000, default: 300, description: 'fine-tuning steps (batches of 8 crops)' }) },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ jobId: Type.String(), datasetDir: Type.String() }), 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request, reply) => {
      const filter = await checkedFilter(request.body);
      const queued = await enqueueTraining(app.queues, filter, { steps: request.body.steps, requestedBy: currentUser(request).id });
      return reply.status(202).send(queued);
    },
  );

  app.get(
    '/api/models/train/:jobId',
    {
      preValidation: requireUser('admin'),
      schema: { tags: ['learning'], summary: 'Where a fine-tuning job stands (progress in percent, the new version when done)', params: JobIdParams, response: { 200: JobStatusSchema, 401: errorRef, 403: errorRef, 404: errorRef } },
    },
    async (request) => {
      const status = await jobStatus(app.queues, QueueName.Train, request.params.jobId, TRAIN_JOB);
      if (!status) throw new NotFound(`no training job ${request.params.jobId}`);
      return status;
    },
  );
};
