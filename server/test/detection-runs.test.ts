import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLatToTile, tileBounds } from '@tuban/core/geo/tiles';
import { startHarness, type Harness } from './harness.js';
import { insertTestImagery } from '@tuban/core/testing/fixtures';

const MODEL = { name: 'test-model', version: '9.9', threshold: 0.4, metresPerPixel: 0.5, gsdRange: [0.4, 0.8] as [number, number] };
let withModel: Harness;
let withoutModel: Harness;

async function readyImagery(h: Harness, sha: string, capturedAt: string): Promise<number> {
  const t = lonLatToTile(121.385, 31.255, 18);
  const [w, , , n] = tileBounds({ z: 18, x: t.x, y: t.y });
  const [, s, e] = tileBounds({ z: 18, x: t.x + 2, y: t.y + 1 });
  return insertTestImagery(h.db, { status: 'ready', fileName: 'x.tif', sha256: sha.repeat(64), capturedAt, footprint: [w, s, e, n], uploadedBy: h.users.admin!.id });
}

beforeAll(async () => {
  withModel = await startHarness('runs_model', {}, { changeModel: async () => MODEL });
  withoutModel = await startHarness('runs_nomodel');
});
afterAll(async () => {
  for (const h of [withModel, withoutModel]) {
    if (!h) continue;
    const queue = new Queue('detect', { connection: h.redis, prefix: `tuban-test-${(await h.db.query('SELECT current_schema() AS s')).rows[0].s}` });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await h.close();
  }
});

describe('detection runs API', () => {
  it('plans a run at the model\'s zoom with its threshold, once, and queues its batches', async () => {
    await readyImagery(withModel, 'e', '2025-01-01T00:00:00Z');
    const after = await readyImagery(withModel, 'f', '2026-01-01T00:00:00Z');
    const cookie = await withModel.login('office');
    const first = await withModel.app.inject({ method: 'POST', url: '/api/detection-runs', headers: { cookie }, payload: { afterImageryId: after } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ zoom: 18, threshold: 0.4, modelVersion: '9.9', tilesTotal: 6, tilesWithoutBaseline: 0, status: 'planned' });
    const again = await withModel.app.inject({ method: 'POST', url: '/api/detection-runs', headers: { cookie }, payload: { afterImageryId: after } });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);

    const list = await withModel.app.inject({ url: '/api/detection-runs', headers: { cookie } });
    expect(list.json()).toHaveLength(1);
    const schema = (await withModel.db.query('SELECT current_schema() AS s')).rows[0].s;
    const queue = new Queue('detect', { connection: withModel.redis, prefix: `tuban-test-${schema}` });
    expect(await queue.getJob(`detect-run-${first.json().id}-batch-0`)).toBeTruthy();
    await queue.close();
  });

  it('explains what is wrong: no model, imagery not ready, unknown imagery, wrong role', async () => {
    const office = await withoutModel.login('office');
    const id = await readyImagery(withoutModel, 'a', '2026-01-01T00:00:00Z');
    const noModel = await withoutModel.app.inject({ method: 'POST', url: '/api/detection-runs', headers: { cookie: office }, payload: { afterImageryId: id } });
    expect(noModel.statusCode).toBe(503);
    expect(noModel.json().error).toMatchObject({ code: 'no_change_model', message: expect.stringMatching(/no change model/) });

    const cookie = await withModel.login('office');
    await withModel.db.query(`UPDATE imagery SET status = 'ingesting' WHERE sha256 = $1`, ['e'.repeat(64)]);
    const { rows } = await withModel.db.query('SELECT id FROM imagery WHERE sha256 = $1', ['e'.repeat(64)]);
    const notReady = await withModel.app.inject({ method: 'POST', url: '/api/detection-runs', headers: { cookie }, payload: { afterImageryId: rows[0].id } });
    expect(notReady.statusCode).toBe(409);
    // a stable code and its values for the web to word, beside the English message
    expect(notReady.json().error).toEqual({
      code: 'imagery_not_ready', message: expect.stringMatching(/ingesting, not ready/), params: { imageryId: rows[0].id, status: 'ingesting' },
    });
    const unknown = await withModel.app.inject({ method: 'POST', url: '/api/detection-runs', headers: { cookie }, payload: { afterImageryId: 987654 } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    const viewer = await withModel.login('viewer');
    const denied = await withModel.app.inject({ method: 'POST', url: '/api/detection-runs', headers: { cookie: viewer }, payload: { afterImageryId: 1 } });
    expect(denied.statusCode).toBe(403);
  });
});
