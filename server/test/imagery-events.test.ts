import { randomBytes } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { startUploadServer, tusUpload, type UploadHarness } from './upload-harness.js';

let h: UploadHarness;
let worker: Worker | undefined;
const workerConnection = createRedis(loadConfig().REDIS_URL);
beforeAll(async () => {
  h = await startUploadServer('imagery_events');
});
afterAll(async () => {
  await worker?.close();
  workerConnection.disconnect();
  await h?.close();
});

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads a whole event stream; `onEvent` sees each event as it arrives. */
async function readEvents(imageryId: number, onEvent: (e: SseEvent) => void = () => {}): Promise<SseEvent[]> {
  const res = await fetch(`${h.baseUrl}/api/imagery/${imageryId}/events`, {
    headers: { authorization: `Bearer ${h.tokens.office}` },
    signal: AbortSignal.timeout(15_000),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: SseEvent[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) {
        const e = { event, data: JSON.parse(data) as Record<string, unknown> };
        events.push(e);
        onEvent(e);
      }
    }
  }
  return events;
}

async function uploadOne(): Promise<number> {
  const out = await tusUpload(h, 'pilot-1', randomBytes(10_000), { filename: 'scene.tif' });
  return out.result!.imageryId;
}

/** A stand-in for the ingest worker: reports progress like the real one, or fails. */
function startStubWorker(failFor: number): Worker {
  return new Worker(
    QueueName.Ingest,
    async (job) => {
      const { imageryId } = job.data as { imageryId: number };
      if (imageryId === failFor) throw new UnrecoverableError('not a GeoTIFF');
      await h.db.query(`UPDATE imagery SET status = 'ingesting' WHERE id = $1`, [imageryId]);
      await job.updateProgress({ done: 1, total: 2 });
      await job.updateProgress({ done: 2, total: 2 });
      await h.db.query(`UPDATE imagery SET status = 'ready' WHERE id = $1`, [imageryId]);
      return { imageryId, tiles: 2 };
    },
    { connection: workerConnection, prefix: h.queuePrefix },
  );
}

/** The status of an item with nothing wrong: no error and inside the district. */
const NO_PROBLEM = { error: null, errorCode: null, errorParams: null, outsideDistrictM: null };

describe('live ingest events', () => {
  it('relays progress and completion of the ingest job, then the final status, and ends', async () => {
    const ok = await uploadOne();
    const bad = await uploadOne();
    let opened = () => {};
    const started = new Promise<void>((resolve) => (opened = resolve));
    const reading = readEvents(ok, (e) => {
      // Give the stream a moment to subscribe before the job starts.
      if (e.event === 'status') setTimeout(opened, 300);
    });
    await started;
    worker = startStubWorker(bad);

    const events = await reading;
    expect(events[0]).toEqual({ event: 'status', data: { id: ok, status: 'uploaded', ...NO_PROBLEM, progress: 0 } });
    expect(events.filter((e) => e.event === 'progress').map((e) => e.data)).toEqual([
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
    expect(events.find((e) => e.event === 'completed')?.data).toEqual({ imageryId: ok, tiles: 2 });
    expect(events.at(-1)).toEqual({ event: 'status', data: { id: ok, status: 'ready', ...NO_PROBLEM } });

    // The failing one has failed by now: its stream says so at once and ends.
    await new Promise((r) => setTimeout(r, 300));
    const failed = await readEvents(bad);
    expect(failed.at(-1)).toEqual({ event: 'status', data: expect.objectContaining({ id: bad, status: 'failed', error: 'not a GeoTIFF' }) });
    await worker.close();
  });

  it('ends at once for imagery that is already ready', async () => {
    const id = await uploadOne();
    await h.db.query(`UPDATE imagery SET status = 'ready' WHERE id = $1`, [id]);
    const events = await readEvents(id);
    expect(events).toEqual([{ event: 'status', data: expect.objectContaining({ id, status: 'ready' }) }]);
  });

  it('answers 404 for unknown imagery and 401 without login', async () => {
    const missing = await fetch(`${h.baseUrl}/api/imagery/999999/events`, { headers: { authorization: `Bearer ${h.tokens.office}` } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe('no imagery 999999');
    expect((await fetch(`${h.baseUrl}/api/imagery/1/events`)).status).toBe(401);
  });
});
