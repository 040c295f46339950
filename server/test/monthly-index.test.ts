import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishExport } from '@tuban/core/db/exports';
import { buildMonthlyExport } from '@tuban/core/monthly-index/build-export';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { insertIndexMonth } from '@tuban/core/testing/index-month';
import { LocalObjectStore } from '@tuban/core/storage/local-object-store';
import { STREET_A, useHarness } from './harness.js';

const h = useHarness('monthly_index_api');
let office: string;
let squad: string;
let viewer: string;
let ids: Record<string, number>;
let queue: Queue;

beforeAll(async () => {
  ids = await insertIndexMonth(h.db);
  [office, squad, viewer] = await Promise.all([h.login('office'), h.login('squad-a'), h.login('viewer')]);
  queue = new Queue(QueueName.Export, { connection: h.redis, prefix: h.queuePrefix });
});
afterAll(async () => {
  await queue?.obliterate({ force: true });
  await queue?.close();
});

const get = (url: string, cookie = office) => h.app.inject({ url, headers: { cookie } });

describe('monthly index API', () => {
  it('gives the district and every street to the office, and only its own street to a squad', async () => {
    const all = (await get('/api/monthly-index?month=2026-03')).json();
    expect(all.rows.map((r: { scope: string }) => r.scope)).toEqual(['district', '310107005', '310107014']);
    expect(all.rows[0]).toMatchObject({ newCount: 4, handlingRate: 0.6, score: 71.6, grade: '合格' });
    const own = (await get('/api/monthly-index?month=2026-03', squad)).json();
    expect(own.rows.map((r: { scope: string }) => r.scope)).toEqual([STREET_A]);
    expect((await get('/api/monthly-index?month=2026-13')).statusCode).toBe(400);
  });

  it('drills down from a number to the items it counts', async () => {
    const res = await get(`/api/monthly-index/drill?month=2026-03&scope=${STREET_A}&measure=handledOnTime`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.kind).toBe('registry');
    expect(body.items.map((i: { caseNo: string }) => i.caseNo)).toEqual(['IDX-A1', 'IDX-A4']);
    const flights = (await get('/api/monthly-index/drill?month=2026-03&scope=district&measure=flights')).json();
    expect(flights.ids).toEqual([ids.f1, ids.f2, ids.f3, ids.f5]);
    const bad = await get('/api/monthly-index/drill?month=2026-03&scope=district&measure=everything');
    expect([bad.statusCode, bad.json().error.message]).toEqual([400, expect.stringMatching(/measure must be one of/)]);
    expect((await get('/api/monthly-index/drill?month=2026-03&scope=district&measure=newItems', squad)).statusCode).toBe(403);
  });

  it('lets the office set an annual target, audited, and refuses squads', async () => {
    const put = (cookie: string, targetM2: number, scope = STREET_A) =>
      h.app.inject({ method: 'PUT', url: `/api/annual-targets/2027/${scope}`, headers: { cookie }, payload: { targetM2 } });
    expect((await put(office, 5000)).json()).toMatchObject({ year: 2027, scope: STREET_A, targetM2: 5000 });
    expect((await put(office, 6000)).statusCode).toBe(200);
    expect((await put(squad, 1)).statusCode).toBe(403);
    expect((await put(office, 1, '310107999')).statusCode).toBe(404);
    expect((await put(office, -5)).statusCode).toBe(400);
    const { rows } = await h.db.query('SELECT from_m2, to_m2 FROM annual_target_events WHERE year = 2027 ORDER BY id');
    expect(rows).toEqual([
      { from_m2: null, to_m2: 5000 },
      { from_m2: 5000, to_m2: 6000 },
    ]);
    expect((await get('/api/annual-targets?year=2027')).json().targets).toHaveLength(1);
  });

  it('serves the leadership dashboard', async () => {
    const body = (await get('/api/dashboard?month=2026-03', viewer)).json();
    expect(body.trend).toHaveLength(12);
    expect(body.trend[11].rows[0]).toMatchObject({ scope: 'district', newCount: 4 });
    expect(body.villas.map((v: { category: string; done: number }) => [v.category, v.done])).toEqual([
      ['demolish_confiscate', 1],
      ['restrict_freeze', 1],
    ]);
    expect((await get('/api/dashboard', squad)).statusCode).toBe(403);
  });
});

describe('exports API', () => {
  it('queues an export, reports its files and serves them', async () => {
    const post = (month: string, cookie = office) =>
      h.app.inject({ method: 'POST', url: '/api/exports/monthly-index', headers: { cookie }, payload: { month } });
    expect((await post('March')).json().error.message).toMatch(/YYYY-MM/);
    expect((await post('2026-03', squad)).statusCode).toBe(403);
    const res = await post('2026-03');
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    const job = await queue.getJob(`${JobName.MonthlyIndexExport}-${id}`);
    expect(job?.data).toEqual({ exportId: id });
    expect((await get(`/api/exports/${id}`)).json()).toMatchObject({ id, status: 'queued', files: [] });
    // Asked again (five times at once) while it waits: the same export, not a pile of them.
    const again = await Promise.all(Array.from({ length: 5 }, () => post('2026-03')));
    expect(again.map((r) => r.json())).toEqual(Array(5).fill({ id, pending: true }));
    expect((await h.db.query(`SELECT count(*)::int AS n FROM exports WHERE month = '2026-03'`)).rows[0].n).toBe(1);

    // what the export worker does (tested with a real worker in workers/test)
    await finishExport(h.db, id, await buildMonthlyExport(h.db, { objects: new LocalObjectStore(h.dataDir), id, month: '2026-03', generatedAt: new Date() }));
    const done = (await get(`/api/exports/${id}`, viewer)).json();
    expect(done.status).toBe('done');
    const pdf = done.files.find((f: { format: string }) => f.format === 'pdf');
    expect(pdf.url).toBe(`/api/exports/${id}/files/monthly-index-2026-03.pdf`);
    const file = await get(pdf.url, viewer);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.length).toBe(pdf.bytes);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(`/api/exports/${id}/files/..%2F..%2Fpasswd`)).statusCode).toBe(404);
    expect((await get(`/api/exports/${id}`, squad)).statusCode).toBe(403);
    expect((await get('/api/exports')).json().exports[0].id).toBe(id);
    // Once it is done, a new request builds a new export (the data may have changed).
    const next = (await post('2026-03')).json();
    expect(next).toEqual({ id: next.id, pending: false });
    expect(next.id).toBeGreaterThan(id);
    expect((await get('/api/exports/999999')).statusCode).toBe(404);
  });
});
