import { describe, expect, it } from 'vitest';
import { waitForImagery } from './wait.js';

function fakeServer(answers: (Response | Error)[]) {
  const calls: string[] = [];
  const fetchFn = (async (url: string, init?: RequestInit) => {
    calls.push(`${url} ${(init?.headers as Record<string, string>).authorization}`);
    const next = answers.shift()!;
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { calls, fetchFn };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
const base = { baseUrl: 'http://t', token: 'tok', sleep: async () => {} };

describe('waiting for ingest', () => {
  it('polls until the imagery is ready', async () => {
    const s = fakeServer([json({ status: 'uploaded' }), json({ status: 'ingesting' }), json({ status: 'ready', error: null })]);
    expect(await waitForImagery(7, { ...base, fetch: s.fetchFn })).toEqual({ status: 'ready', error: null });
    expect(s.calls).toEqual(Array(3).fill('http://t/api/imagery/7 Bearer tok'));
  });

  it('reports a failed ingest with its message', async () => {
    const s = fakeServer([json({ status: 'failed', error: 'unsupported CRS EPSG:2000' })]);
    expect(await waitForImagery(1, { ...base, fetch: s.fetchFn })).toEqual({ status: 'failed', error: 'unsupported CRS EPSG:2000' });
  });

  it('rides out a restarting server but not a wrong id', async () => {
    const s = fakeServer([new Error('ECONNREFUSED'), json({}, 502), json({ status: 'ready' })]);
    expect((await waitForImagery(1, { ...base, fetch: s.fetchFn })).status).toBe('ready');
    const missing = fakeServer([json({ error: { message: 'no imagery 9' } }, 404)]);
    await expect(waitForImagery(9, { ...base, fetch: missing.fetchFn })).rejects.toThrow(/answered 404/);
    const down = fakeServer([new Error('ECONNREFUSED'), new Error('ECONNREFUSED')]);
    await expect(waitForImagery(1, { ...base, fetch: down.fetchFn, maxErrors: 2 })).rejects.toThrow(/gave up .* ECONNREFUSED/);
  });
});
