// Workers pick up the active model version without a restart: each call without a version asks for the active
// one, each version's session is loaded once, and a run's batches get the version the run was planned with.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH, readModelCard } from '@tuban/core/change/model-card';
import { loadConfig } from '@tuban/core/config';
import type { User } from '@tuban/core/db/users';
import { modelFiles } from '@tuban/core/learning/model-files';
import { promoteModelVersion, rollbackModelVersion } from '@tuban/core/learning/model-versions';
import { LocalObjectStore } from '@tuban/core/storage/local-object-store';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { insertTestUser } from '@tuban/core/testing/fixtures';
import { addTestModelVersion } from '@tuban/core/testing/model-versions';
import { changeModelSource } from '../src/detect/load-model.js';
import { hasModel } from '../src/testing/change-models.js';

let t: TestDatabase;
let dataDir: string;
let admin: User;

beforeAll(async () => {
  t = await createTestDatabase('worker_model_versions');
  dataDir = await mkdtemp(join(tmpdir(), 'tuban-model-versions-'));
  const id = await insertTestUser(t.pool, { username: 'admin', role: 'admin' });
  admin = { id, username: 'admin', displayName: 'admin', role: 'admin', streetCode: null } as User;
});
afterAll(async () => {
  await t?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!hasModel())('change models by version in a worker', () => {
  it('follows promotions and rollbacks at the next call and keeps one session per version', async () => {
    const shipped = (await readModelCard(DEFAULT_MODEL_PATH)).version;
    const config = loadConfig(process.env, { CHANGE_DETECTOR: 'onnx', DATA_DIR: dataDir, DETECT_THREADS: 1, DETECT_NICE: 0 });
    const objects = new LocalObjectStore(dataDir);
    const models = changeModelSource(config, t.pool, objects);

    const first = await models();
    expect(first.version).toBe(shipped);
    expect(await models()).toBe(first);

    await addTestModelVersion(t.pool, dataDir, { version: '0.9.0-w' });
    await promoteModelVersion(t.pool, admin, '0.9.0-w', modelFiles(objects, dataDir));
    const promoted = await models();
    expect(promoted.version).toBe('0.9.0-w');
    // a run planned before the promotion still gets its own version
    expect(await models(shipped)).toBe(first);
    const out = await promoted.predict(new Float32Array(6 * 64 * 64).fill(0.5), 1, 64);
    expect(out.length).toBe(64 * 64);

    await rollbackModelVersion(t.pool, admin, modelFiles(objects, dataDir));
    expect(await models()).toBe(first);
    await expect(models('never-recorded')).rejects.toThrow(/model version never-recorded is not recorded/);
  });
});
