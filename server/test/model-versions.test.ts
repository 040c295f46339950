// Model versions over the API: the shipped model is registered and active on first use, an admin promotes a
// trained candidate and rolls back, office reads, nobody else changes anything, and every change is audited.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH, readModelCard } from '@tuban/core/change/model-card';
import { registerShippedModel } from '@tuban/core/learning/model-versions';
import { addTestModelVersion } from '@tuban/core/testing/model-versions';
import { useHarness } from './harness.js';

const h = useHarness('model_versions');
const DISTRICT = { f1: 0.71, objectPrecision: 0.8, objectRecall: 0.66, falseAlarmsPerKm2: 4.5 };

const get = async (user: string) =>
  (await h.app.inject({ url: '/api/model-versions', headers: { cookie: await h.login(user) } })).json() as {
    versions: { version: string; status: string; parentVersion: string | null; metrics: Record<string, Record<string, number>> }[];
    events: { action: string; version: string; previousVersion: string | null; actorName: string | null }[];
  };
const post = async (user: string, url: string, payload: object = {}) =>
  h.app.inject({ method: 'POST', url, headers: { cookie: await h.login(user) }, payload });

describe('model versions', () => {
  it('registers the shipped model once, even from processes starting together, and makes it active when none is', async () => {
    const shipped = (await readModelCard(DEFAULT_MODEL_PATH)).version;
    // several processes starting at once record it once
    await Promise.all([registerShippedModel(h.db), registerShippedModel(h.db), registerShippedModel(h.db)]);
    const first = await get('office');
    expect(first.versions).toEqual([expect.objectContaining({ version: shipped, status: 'active', parentVersion: null })]);
    expect(first.versions[0]!.metrics.synthetic).toMatchObject({ f1: expect.any(Number), falseAlarmsPerKm2: expect.any(Number) });
    await registerShippedModel(h.db);
    expect((await get('admin')).versions).toHaveLength(1);
    expect(first.events).toEqual([expect.objectContaining({ action: 'registered', version: shipped, previousVersion: null })]);
    expect((await h.app.inject({ url: '/api/model-versions', headers: { cookie: await h.login('viewer') } })).statusCode).toBe(403);
  });

  it('lets an admin promote a candidate and roll back to the version active before, audited', async () => {
    const shipped = (await readModelCard(DEFAULT_MODEL_PATH)).version;
    await addTestModelVersion(h.db, h.dataDir, { version: '0.9.0-district', metrics: { 'district-validation': DISTRICT }, createdBy: h.users.admin!.id });

    const refused = await post('office', '/api/model-versions/0.9.0-district/promote');
    expect(refused.statusCode).toBe(403);
    const promoted = await post('admin', '/api/model-versions/0.9.0-district/promote', { note: 'better on our streets' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ version: '0.9.0-district', previousVersion: shipped });
    const after = await get('office');
    expect(after.versions.map((v) => [v.version, v.status])).toEqual([['0.9.0-district', 'active'], [shipped, 'retired']]);
    expect(after.versions[0]!.metrics['district-validation']).toEqual(DISTRICT);
    expect((await post('admin', '/api/model-versions/0.9.0-district/promote')).json().error.message).toMatch(/already active/);

    const back = await post('admin', '/api/model-versions/rollback');
    expect(back.json()).toMatchObject({ version: shipped, previousVersion: '0.9.0-district' });
    expect((await get('admin')).versions.map((v) => [v.version, v.status])).toEqual([[shipped, 'active'], ['0.9.0-district', 'retired']]);
    // the shipped model replaced nothing: a second rollback has nowhere to go
    const again = await post('admin', '/api/model-versions/rollback');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/nothing to roll back to/);
    expect((await get('admin')).events.map((e) => [e.action, e.version, e.previousVersion, e.actorName])).toEqual([
      ['rolled_back', shipped, '0.9.0-district', 'admin'],
      ['promoted', '0.9.0-district', shipped, 'admin'],
      ['registered', shipped, null, null],
    ]);
  });

  it('refuses a version that is unknown or whose file is not the one measured', async () => {
    expect((await post('admin', '/api/model-versions/no-such/promote')).statusCode).toBe(404);
    await addTestModelVersion(h.db, h.dataDir, { version: '0.9.1-broken' });
    await writeFile(join(h.dataDir, 'models', '0.9.1-broken', 'tuban-change.onnx'), 'not a model');
    const res = await post('admin', '/api/model-versions/0.9.1-broken/promote');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/0\.9\.1-broken: its ONNX file models\/0\.9\.1-broken\/tuban-change\.onnx has SHA-256 [0-9a-f]{64}, not the recorded/);
    expect((await post('admin', '/api/model-versions/bad version!/promote')).statusCode).toBe(400);
  });
});
