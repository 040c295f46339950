// The detection jobs: plan a run for ready imagery, run its batches, merge them into candidates.
import { UnrecoverableError } from 'bullmq';
import { mergeRunCandidates } from '@tuban/core/db/detection-merge';
import { failRun, findRun, runImageryIds, summariseRunShifts } from '@tuban/core/db/detection-runs';
import { setDetectionProblem } from '@tuban/core/db/imagery';
import { withTransaction, type Queryable } from '@tuban/core/db/pool';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { DomainError } from '@tuban/core/errors';
import { isLastAttempt } from '@tuban/core/jobs/job-options';
import { JobName } from '@tuban/core/jobs/queues';
import { imageryTileReader } from '@tuban/core/tiles/imagery-tile-reader';
import type { WorkerContext } from '../context.js';
import type { HandlerMap } from '../handlers.js';
import { detectBatch } from './batch.js';
import { TileCache } from './windows.js';

type DetectionJob = typeof JobName.PlanDetection | typeof JobName.DetectRun | typeof JobName.DetectBatch;

export function detectionHandlers(ctx: WorkerContext): Pick<HandlerMap, DetectionJob> {
  const { db } = ctx;
  // The process's decoded tiles, kept across batches.
  const tiles = new TileCache(imageryTileReader(db, ctx.tileStore));

  return {
    [JobName.PlanDetection]: async (job) => {
      try {
        const requestedBy = job.data.requestedBy ?? (await imageryOwner(db, job.data.imageryId));
        const { run, created } = await planDetectionRun(db, job.data.imageryId, await ctx.changeModel(), requestedBy);
        await setDetectionProblem(db, job.data.imageryId, null);
        return { runId: run.id, created, batchesTotal: run.batchesTotal };
      } catch (err) {
        if (err instanceof DomainError) {
          // The pilot's uploads page says why detection did not run.
          await setDetectionProblem(db, job.data.imageryId, { message: err.message, code: err.code, params: err.params });
          throw new UnrecoverableError(err.message);
        }
        throw err;
      }
    },

    [JobName.DetectBatch]: async (job) => {
      const { runId, batchNo } = job.data;
      try {
        const run = await findRun(db, runId);
        if (!run) throw new UnrecoverableError(`no detection run ${runId}`);
        // The version the run was planned with, even if another one was promoted since.
        const result = await detectBatch({ db, tiles, model: await ctx.changeModel(run.modelVersion) }, run, batchNo);
        return { runId, ...result };
      } catch (err) {
        if (isLastAttempt(job)) {
          const message = (err as Error).message;
          await failRun(db, runId, `batch ${batchNo}: ${message}`, { code: 'detection_batch_failed', params: { batch: batchNo, message } });
        }
        throw err;
      }
    },

    [JobName.DetectRun]: async (job) => {
      const run = await findRun(db, job.data.runId);
      if (!run) throw new UnrecoverableError(`no detection run ${job.data.runId}`);
      const t0 = performance.now();
      let candidates: number;
      try {
        candidates = await withTransaction(db, async (client) => {
          await summariseRunShifts(client, run.id);
          return mergeRunCandidates(client, run.id);
        });
      } catch (err) {
        if (isLastAttempt(job)) {
          const message = (err as Error).message;
          await failRun(db, run.id, `merge: ${message}`, { code: 'detection_merge_failed', params: { message } });
        }
        throw err;
      }
      await db.query(`UPDATE detection_runs SET timings = timings || jsonb_build_object('merge', $2::float8) WHERE id = $1`, [
        run.id,
        (performance.now() - t0) / 1000,
      ]);
      tiles.forget(await runImageryIds(db, run));
      return { runId: run.id, candidates };
    },
  };
}

async function imageryOwner(db: Queryable, imageryId: number): Promise<number> {
  const { rows } = await db.query<{ uploaded_by: number }>('SELECT uploaded_by FROM imagery WHERE id = $1', [imageryId]);
  if (!rows[0]) throw new UnrecoverableError(`no imagery ${imageryId}`);
  return rows[0].uploaded_by;
}
