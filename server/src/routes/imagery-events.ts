import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findImageryStatus, type ImageryStatus } from '@tuban/core/db/uploads';
import { NotFound } from '@tuban/core/errors';
import { ingestJobId } from '@tuban/core/jobs/ingest-job';
import { QueueName } from '@tuban/core/jobs/queues';
import { requireUser } from '../auth.js';
import { errorRef, IdParams } from '../schemas.js';
import type { IngestEvents } from '../uploads/ingest-events.js';

const POLL_MS = 2000;
const KEEPALIVE_MS = 15_000;
const isFinal = (s: ImageryStatus['status']) => s === 'ready' || s === 'failed';

/**
 * GET /api/imagery/{id}/events: Server-Sent Events with the ingest job's `progress` ({done, total}),
 * `completed` and `failed`, and `status` ({id, status, error}) first and whenever the row changes.
 * The stream ends after a final status (ready or failed).
 */
export const imageryEventRoutes: FastifyPluginAsyncTypebox<{ events: IngestEvents }> = async (app, opts) => {
  const queue = app.queues.byName[QueueName.Ingest];
  app.get(
    '/api/imagery/:id/events',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['uploads'],
        summary: 'Live ingest progress of one imagery item (text/event-stream: status, progress, completed, failed)',
        params: IdParams,
        response: { 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      let last = await findImageryStatus(app.db, id);
      if (!last) throw new NotFound(`no imagery ${id}`);
      const jobId = ingestJobId(id);
      const job = await queue.getJob(jobId);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and friends would otherwise hold events back in a buffer
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) => {
        if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };

      let closed = false;
      let unsubscribe = () => {};
      const timers: NodeJS.Timeout[] = [];
      const close = () => {
        if (closed) return;
        closed = true;
        timers.forEach(clearInterval);
        unsubscribe();
        res.end();
      };
      res.on('close', close);

      const jobFailed = async (reason: string) => {
        // A job that failed for good but left the row as it was (no handler, worker crash): say so and stop.
        if ((await queue.getJob(jobId).then((j) => j?.getState())) !== 'failed') return;
        const now = await findImageryStatus(app.db, id);
        if (now && !isFinal(now.status)) {
          send('status', { ...now, status: 'failed', error: now.error ?? reason });
          close();
        }
      };
      // Progress comes from the queue's events; the poll re-reads it from the job too, so an event that
      // went out while the subscription was still connecting is not lost for good.
      let lastProgress = JSON.stringify(job?.progress ?? null);
      const sendProgress = (progress: unknown) => {
        const text = JSON.stringify(progress ?? null);
        if (text === lastProgress) return;
        lastProgress = text;
        send('progress', progress);
      };
      const checkStatus = async () => {
        const now = await findImageryStatus(app.db, id);
        if (closed || !now) return;
        if (now.status === 'ingesting') {
          const current = await queue.getJob(jobId);
          if (current && !closed) sendProgress(current.progress);
        }
        if (now.status !== last!.status || now.error !== last!.error) send('status', now);
        last = now;
        if (isFinal(now.status)) close();
      };

      send('status', { ...last, progress: job?.progress ?? null });
      if (isFinal(last.status)) return close();
      if (job && (await job.getState()) === 'failed') return void (await jobFailed(job.failedReason));

      unsubscribe = await opts.events.subscribe(jobId, (event) => {
        if (event.type === 'progress') return sendProgress(event.data);
        send(event.type, event.data);
        if (event.type === 'failed') void jobFailed(event.data.reason).catch(() => undefined);
        if (event.type === 'completed') void checkStatus().catch(() => undefined);
      });
      if (closed) unsubscribe();
      const poll = () => void checkStatus().catch((err: unknown) => request.log.warn({ err }, 'imagery status poll failed'));
      timers.push(setInterval(poll, POLL_MS), setInterval(() => !closed && res.write(': keep-alive\n\n'), KEEPALIVE_MS));
    },
  );
};
