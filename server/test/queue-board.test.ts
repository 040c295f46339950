import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { useHarness } from './harness.js';

const h = useHarness('queue_board');

describe('queue dashboard', () => {
  it('is served to admins', async () => {
    const res = await h.app.inject({ url: '/admin/queues', headers: { cookie: await h.login('admin') } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    // nothing from the internet, and a way back to the app
    expect(res.body).not.toMatch(/fonts\.googleapis|https?:\/\/(?!localhost)/);
    expect(res.body).toContain('"url":"/"');
    const api = await h.app.inject({ url: '/admin/queues/api/queues', headers: { cookie: await h.login('admin') } });
    expect(api.statusCode).toBe(200);
    expect(api.json().queues.map((q: { name: string }) => q.name).sort()).toEqual(['detect', 'export', 'ingest', 'system', 'train']);
  });

  it("shows the jobs under the app's queue prefix (not the default one)", async () => {
    expect(h.queuePrefix).not.toBe('tuban');
    const queue = new Queue(QueueName.System, { connection: h.redis, prefix: h.queuePrefix });
    await queue.add(JobName.Health, { requestedAt: new Date().toISOString() }, { delay: 3_600_000 });
    await queue.close();
    const api = await h.app.inject({ url: '/admin/queues/api/queues?activeQueue=system&status=delayed', headers: { cookie: await h.login('admin') } });
    const system = api.json().queues.find((q: { name: string }) => q.name === 'system');
    expect(system.counts.delayed).toBe(1);
  });

  it('is refused to office users and to anonymous callers', async () => {
    expect((await h.app.inject({ url: '/admin/queues', headers: { cookie: await h.login('office') } })).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/admin/queues/api/queues' })).statusCode).toBe(401);
  });
});
