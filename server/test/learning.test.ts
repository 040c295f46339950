// The learning routes: training-set exports and fine-tuning jobs are queued for the office and admins, refused
// with a clear reason when nothing has been decided or the filter is wrong.
import { beforeAll, describe, expect, it } from 'vitest';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { TRAIN_JOB } from '@tuban/core/jobs/train-jobs';
import { buildTrainingScene } from '@tuban/core/testing/training-scene';
import { useHarness } from './harness.js';

const h = useHarness('learning');

describe('learning routes', () => {
  it('refuses an export before any decision, and a bad filter, naming the problem', async () => {
    const office = await h.login('office');
    const none = await h.app.inject({ method: 'POST', url: '/api/training-sets', headers: { cookie: office }, payload: {} });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toMatch(/no decided candidates/);
    const bad = await h.app.inject({ method: 'POST', url: '/api/training-sets', headers: { cookie: office }, payload: { since: '2026-02-30x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/since "2026-02-30x" is not a date/);
    const street = await h.app.inject({ method: 'POST', url: '/api/training-sets', headers: { cookie: office }, payload: { streets: ['caoyang'] } });
    expect(street.json().error.message).toMatch(/street "caoyang" is not a street code/);
  });

  describe('with decisions', () => {
    beforeAll(async () => {
      await buildTrainingScene(h.db, h.dataDir, [[0, 0, 'confirmed'], [1, 1, 'dismissed', 'false_positive']], h.users.office!.id);
    });

    it('queues a training-set export for the office and tells where it stands', async () => {
      const office = await h.login('office');
      const res = await h.app.inject({ method: 'POST', url: '/api/training-sets', headers: { cookie: office }, payload: {} });
      expect(res.statusCode).toBe(202);
      const { jobId, dir } = res.json();
      expect(dir).toBe(`training-sets/${jobId}`);
      const job = await h.app.queues.byName[QueueName.Export].getJob(jobId);
      expect(job?.name).toBe(JobName.TrainingSetExport);
      expect(job?.data).toEqual({ out: dir });
      const status = await h.app.inject({ url: `/api/training-sets/${jobId}`, headers: { cookie: office } });
      expect(status.json()).toMatchObject({ id: jobId, state: 'waiting', progress: 0 });
      expect((await h.app.inject({ url: '/api/training-sets/nope', headers: { cookie: office } })).statusCode).toBe(404);
    });

    it('lets only an admin start fine-tuning: a train job waiting for its own training set', async () => {
      const office = await h.login('office');
      expect((await h.app.inject({ method: 'POST', url: '/api/models/train', headers: { cookie: office }, payload: {} })).statusCode).toBe(403);
      const admin = await h.login('admin');
      const res = await h.app.inject({ method: 'POST', url: '/api/models/train', headers: { cookie: admin }, payload: { steps: 50, streets: [] } });
      expect(res.statusCode).toBe(202);
      const { jobId, datasetDir } = res.json();
      const train = (await h.app.queues.byName[QueueName.Train].getJob(jobId))!;
      expect(train.name).toBe(TRAIN_JOB);
      expect(train.data).toEqual({ datasetDir, steps: 50, requestedBy: h.users.admin!.id });
      expect(await train.getState()).toBe('waiting-children');
      const child = (await h.app.queues.byName[QueueName.Export].getJob(`${jobId}-set`))!;
      expect(child.data).toEqual({ out: datasetDir });
      const status = await h.app.inject({ url: `/api/models/train/${jobId}`, headers: { cookie: admin } });
      expect(status.json()).toMatchObject({ state: 'waiting-children', progress: 0, error: null });
    });
  });
});
